"""The guides' commands and code run as written: a learner copying them gets what the guide promises."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "learner_guide.md"


def _blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture
def own_data(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    last = pd.DataFrame({"age": rng.integers(18, 90, n), "income": rng.normal(3000, 500, n).round(2),
                         "city": rng.choice(["Oslo", "Tromso", "Bergen"], n), "label": rng.integers(0, 2, n)})
    this = last.sample(200, random_state=1).assign(income=lambda f: f["income"] * 1.2)
    last.to_csv(tmp_path / "last_year.csv", index=False)
    this.to_csv(tmp_path / "this_month.csv", index=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    return tmp_path


def test_guides_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/instructor_guide.md" in readme and "docs/learner_guide.md" in readme
    for name in ("instructor_guide.md", "learner_guide.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for notebook in re.findall(r"`(\d\d_[a-z_]+)(?:\.ipynb)?`", text):
            assert list((ROOT / "notebooks").glob(f"{notebook}*.ipynb")), f"{name} names {notebook}"


def test_learner_guide_commands_and_code_run_as_written(own_data):
    python_blocks = [b for b in _blocks("python") if "infer_spec" in b or "LifecycleReport" in b]
    setup = "import pandas as pd\ndf = pd.read_csv('this_month.csv')\nreference_df = pd.read_csv('last_year.csv')\n"
    for block in python_blocks:
        proc = subprocess.run([sys.executable, "-c", setup + block], cwd=own_data, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    assert (own_data / "spec.json").is_file() and (own_data / "november.html").is_file()

    commands = []
    for block in _blocks("bash"):
        block = block.replace("\\\n", " ")
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            if line.startswith("lifecycle-kit"):
                commands.append(line)
    assert len(commands) >= 10
    for line in commands:
        args = shlex.split(line)[1:]
        proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *args], cwd=own_data, capture_output=True,
                              text=True, timeout=120)
        # 0 all good, 1 a check found something; 2 would mean the guide's command itself is wrong.
        assert proc.returncode in (0, 1), f"{line}: {proc.stderr}"
    assert (own_data / "lifecycle.html").is_file() and (own_data / "drift.html").is_file()
    drift = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", "drift", "last_year.csv", "this_month.csv"],
                           cwd=own_data, capture_output=True, text=True)
    assert "income" in drift.stdout.splitlines()[0]
