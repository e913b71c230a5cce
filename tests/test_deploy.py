"""The Kubernetes deployment: values.yaml against the Zero to JupyterHub chart's schema, and the image.

The chart and images cannot be fetched here, so neither `helm` nor `docker build` runs (deploy/README.md).
Helm validates the values *merged with the chart's defaults*; the defaults supply every key the schema
marks required, so the check below drops ``required`` and keeps the rest: known keys only
(``additionalProperties: false``), types and enums.
"""

import copy
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KUBERNETES = ROOT / "deploy" / "kubernetes"
HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
# shared/ sits beside the clone (CI) or beside the folder of worktrees (a helper's worktree).
SCHEMA = next((folder / "shared" / "reference" / "z2jh" / "values.schema.yaml" for folder in ROOT.parents[:2]
               if (folder / "shared" / "reference" / "z2jh" / "values.schema.yaml").is_file()),
              ROOT.parent / "shared" / "reference" / "z2jh" / "values.schema.yaml")
IMAGE_REPO = "/opt/lifecycle-kit"


def _without_required(schema):
    if isinstance(schema, dict):
        return {key: _without_required(value) for key, value in schema.items() if key != "required"}
    if isinstance(schema, list):
        return [_without_required(item) for item in schema]
    return schema


@pytest.fixture(scope="module")
def values():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((KUBERNETES / "values.yaml").read_text())


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.is_file():
        pytest.skip(f"the Zero to JupyterHub values schema is not at {SCHEMA} (shared/reference is beside the repo)")
    yaml = pytest.importorskip("yaml")
    jsonschema = pytest.importorskip("jsonschema")
    schema = yaml.safe_load(SCHEMA.read_text())
    return jsonschema.Draft7Validator(_without_required(schema))


def _errors(validator, values):
    return [f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in validator.iter_errors(values)]


def test_values_validate_against_the_chart_schema(validator, values):
    assert _errors(validator, values) == []


@pytest.mark.parametrize(("path", "key", "value"), [
    (("singleuser",), "memroy", {"limit": "1G"}),              # a misspelt key
    (("singleuser", "cpu"), "limit", "1 core"),                # text where the chart wants a number
    (("cull",), "timeout", "one hour"),                        # text where the chart wants seconds
    (("singleuser", "storage"), "type", "nfs"),                # not one of the chart's storage types
])
def test_the_schema_check_refuses_what_helm_would(validator, values, path, key, value):
    broken = copy.deepcopy(values)
    node = broken
    for part in path:
        node = node[part]
    node[key] = value
    assert _errors(validator, broken)


def _hub_setting(name):
    match = re.search(rf"^{name} = (.+)$", HUB_CONFIG.read_text(), flags=re.MULTILINE)
    assert match, f"{name} not found in {HUB_CONFIG}"
    return match.group(1).strip().strip('"')


def test_values_match_the_one_server_config(values):
    singleuser = values["singleuser"]
    assert singleuser["memory"]["limit"] == _hub_setting("MEM_LIMIT")
    assert float(singleuser["cpu"]["limit"]) == float(_hub_setting("CPU_LIMIT"))
    assert _hub_setting("INSTRUCTOR") in values["hub"]["config"]["Authenticator"]["admin_users"]
    assert singleuser["defaultUrl"] == "/lab/tree/00_start_here.ipynb"
    assert f"--timeout={values['cull']['timeout']}" in HUB_CONFIG.read_text()
    assert values["cull"]["enabled"] is True
    assert singleuser["extraEnv"]["OMP_NUM_THREADS"] == "1"
    authenticator = re.search(r'^c\.JupyterHub\.authenticator_class = "(.+)"$', HUB_CONFIG.read_text(), re.M).group(1)
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == authenticator
    # Its sign-up pages need its templates, as in the one-server config.
    assert any("nativeauthenticator" in code and "template_paths" in code
               for code in values["hub"]["extraConfig"].values())


def test_progress_and_course_live_on_the_learners_home_volume(values):
    singleuser = values["singleuser"]
    assert singleuser["storage"]["type"] == "dynamic"
    home = singleuser["storage"]["homeMountPath"]
    assert singleuser["extraEnv"]["JUPYTERHUB_ROOT_DIR"].startswith(home + "/")
    # Progress goes to the kit's default place under $HOME unless moved; if moved, it must stay on the volume.
    assert singleuser["extraEnv"].get("LIFECYCLE_KIT_PROGRESS_FILE", home + "/").startswith(home + "/")
    # The volume is mounted on the image user's home, so $HOME (and the default progress file) is on it.
    dockerfile = (KUBERNETES / "Dockerfile").read_text()
    assert home == "/home/jovyan" and "ARG NB_USER=jovyan" in dockerfile and "--create-home" in dockerfile


def test_the_image_starts_a_script_that_the_repository_has(values):
    dockerfile = (KUBERNETES / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, flags=re.MULTILINE)
    assert f"COPY . {IMAGE_REPO}" in dockerfile and f"pip install {IMAGE_REPO}" in dockerfile
    script = values["singleuser"]["cmd"][-1]
    assert script in dockerfile
    assert (ROOT / Path(script).relative_to(IMAGE_REPO)).is_file()
    # Zero to JupyterHub's default user id: the home volume must be writable by the image's user.
    assert "NB_UID=1000" in dockerfile and values["singleuser"].get("uid", 1000) == 1000
