"""The course server's config, read as JupyterHub reads it; the demonstration changes only what it names."""

import pytest
from traitlets.config.loader import PyFileConfigLoader

from tests.hub.hub_client import HUB_DIR

pytestmark = pytest.mark.hub

# What demo_config.py may change, and nothing else (its header comment names each override).
DEMO_OVERRIDES = {
    ("JupyterHub", "authenticator_class"), ("SharedPasswordAuthenticator", "user_password"),
    ("SharedPasswordAuthenticator", "admin_password"), ("JupyterHub", "spawner_class"),
    ("SimpleLocalProcessSpawner", "home_dir_template"), ("JupyterHub", "bind_url"), ("JupyterHub", "hub_port"),
    ("ConfigurableHTTPProxy", "api_url"), ("JupyterHub", "services"), ("Spawner", "environment"),
}


def _load(name, state_dir, monkeypatch):
    monkeypatch.setenv("LIFECYCLE_KIT_HUB_STATE", str(state_dir))
    return PyFileConfigLoader(name, path=str(HUB_DIR)).load_config()


def _settings(config):
    return {(section, key): value for section, traits in config.items() for key, value in traits.items()}


@pytest.fixture
def deployed(tmp_path, monkeypatch):
    return _load("jupyterhub_config.py", tmp_path, monkeypatch)


def test_the_deployed_hub_listens_on_loopback_behind_a_reverse_proxy(deployed):
    assert deployed.JupyterHub.bind_url.startswith("http://127.0.0.1:")


def test_learners_get_enforced_limits_and_the_course(deployed):
    assert deployed.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert deployed.SystemdSpawner.dynamic_users is True
    assert deployed.Spawner.mem_limit and deployed.Spawner.cpu_limit
    assert deployed.Spawner.default_url == "/lab/tree/00_start_here.ipynb"
    assert (HUB_DIR / "singleuser.py").samefile(deployed.Spawner.cmd[-1])
    # Numeric libraries use one thread, matching the one-core limit.
    assert deployed.Spawner.environment["OMP_NUM_THREADS"] == "1" == str(int(deployed.Spawner.cpu_limit))


def test_a_real_authenticator_and_the_instructor_as_admin(deployed):
    assert deployed.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert deployed.Authenticator.admin_users == {"instructor"}


def test_the_idle_culler_and_the_class_report_are_managed_services(deployed):
    services = {service["name"]: service for service in deployed.JupyterHub.services}
    assert set(services) == {"idle-culler", "class-report"}
    assert all("command" in service for service in services.values())
    roles = {role["name"]: role for role in deployed.JupyterHub.load_roles}
    assert "delete:servers" in roles["idle-culler"]["scopes"]
    assert not any(scope.startswith(("admin", "delete", "servers")) for scope in roles["class-report"]["scopes"])


def test_the_demonstration_changes_only_its_named_overrides(tmp_path, monkeypatch):
    deployed = _settings(_load("jupyterhub_config.py", tmp_path, monkeypatch))
    demo = _settings(_load("demo_config.py", tmp_path, monkeypatch))
    changed = {key for key in deployed.keys() | demo.keys() if deployed.get(key) != demo.get(key)}
    assert changed <= DEMO_OVERRIDES, changed - DEMO_OVERRIDES
    assert ("JupyterHub", "authenticator_class") in changed and ("JupyterHub", "spawner_class") in changed


def test_the_demonstration_keeps_the_services_but_their_ports_and_environment(tmp_path, monkeypatch):
    def essentials(config):
        return [{k: v for k, v in service.items() if k not in ("url", "environment")}
                for service in config.JupyterHub.services]

    deployed = _load("jupyterhub_config.py", tmp_path, monkeypatch)
    demo = _load("demo_config.py", tmp_path, monkeypatch)
    assert essentials(demo) == essentials(deployed)
