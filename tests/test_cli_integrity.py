"""keygen, manifest create/verify, sign, verify: exit 0 ok, 1 verification failed, 2 bad input."""

import subprocess
import sys

import pytest


def run(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin", "KEYPASS": "s3cret"})
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x,y\n1,2\n")
    (tmp_path / "data" / "b.csv").write_text("z\n3\n")
    assert run("keygen", "--out", "steward", cwd=tmp_path)[0] == 0
    assert run("keygen", "--out", "intruder", cwd=tmp_path)[0] == 0
    return tmp_path


def test_full_round_trip(workspace):
    assert run("manifest", "create", "data", cwd=workspace)[0] == 0
    assert run("sign", "data/MANIFEST.json", "--key", "steward.key", cwd=workspace)[0] == 0
    code, out, _ = run("verify", "data/MANIFEST.json", "data/MANIFEST.json.sig", "--pub", "steward.pub", cwd=workspace)
    assert code == 0 and out.startswith("ok:")
    code, out, _ = run("manifest", "verify", "data", "data/MANIFEST.json", cwd=workspace)
    assert code == 0 and "2 files match" in out


def test_verification_failures_exit_1_and_name_what(workspace):
    run("manifest", "create", "data", cwd=workspace)
    run("sign", "data/MANIFEST.json", "--key", "steward.key", cwd=workspace)
    code, out, _ = run("verify", "data/MANIFEST.json", "data/MANIFEST.json.sig", "--pub", "intruder.pub", cwd=workspace)
    assert code == 1 and out.startswith("FAILED")
    (workspace / "data" / "a.csv").write_text("x,y\n1,3\n")
    (workspace / "data" / "c.csv").write_text("new")
    (workspace / "data" / "b.csv").unlink()
    code, out, _ = run("manifest", "verify", "data", "data/MANIFEST.json", cwd=workspace)
    assert code == 1 and "changed: a.csv" in out and "missing: b.csv" in out and "added: c.csv" in out
    manifest = (workspace / "data" / "MANIFEST.json").read_text().replace('"size": 8', '"size": 9')
    (workspace / "data" / "MANIFEST.json").write_text(manifest)
    code, out, _ = run("verify", "data/MANIFEST.json", "data/MANIFEST.json.sig", "--pub", "steward.pub", cwd=workspace)
    assert code == 1


def test_encrypted_key_with_passphrase_from_environment(workspace):
    assert run("keygen", "--out", "locked", "--passphrase-env", "KEYPASS", cwd=workspace)[0] == 0
    assert b"ENCRYPTED" in (workspace / "locked.key").read_bytes()
    run("manifest", "create", "data", cwd=workspace)
    assert run("sign", "data/MANIFEST.json", "--key", "locked.key", "--passphrase-env", "KEYPASS", cwd=workspace)[0] == 0
    assert run("verify", "data/MANIFEST.json", "data/MANIFEST.json.sig", "--pub", "locked.pub", cwd=workspace)[0] == 0


@pytest.mark.parametrize("args,message", [
    (["keygen", "--out", "steward"], "exists; use --force"),
    (["manifest", "create", "nope"], "nope: not a folder"),
    (["manifest", "verify", "data"], "needs the manifest file"),
    (["manifest", "verify", "data", "missing.json"], "cannot read manifest missing.json"),
    (["sign", "data/a.csv", "--key", "steward.key"], "manifest is not valid JSON"),
    (["sign", "MANIFEST.json", "--key", "steward.pub"], "cannot read manifest"),
    (["verify", "data/MANIFEST.json", "nope.sig", "--pub", "steward.pub"], "no such file"),
    (["manifest", "wipe", "data"], "invalid choice"),
    (["sign", "data/MANIFEST.json"], "the following arguments are required: --key"),
])
def test_bad_input_exits_2_with_one_line(workspace, args, message):
    run("manifest", "create", "data", cwd=workspace)
    code, _, err = run(*args, cwd=workspace)
    assert code == 2 and message in err and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
