"""Every notebook runs top to bottom in a fresh kernel, offline, from outside the repository."""


import nbformat
import pytest

from tests.notebook_runner import (
    assert_committed_without_outputs,
    check_snippets,
    execute_notebook,
    is_runnable_snippet,
    notebook_paths,
)

BONES = ["## Where we are", "## Hands on", "## Check yourself", "## Take away"]


@pytest.mark.notebook
@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebook_executes_offline_from_any_directory(path, tmp_path):
    # The last injected cell also runs the code written in the notebook's self-check texts.
    nb, seconds = execute_notebook(path, cwd=tmp_path, check_code_snippets=True)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    assert_committed_without_outputs(path)


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebook_has_the_bones_and_self_checks(path):
    nb = nbformat.read(path, as_version=4)
    headings = [line.strip() for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    positions = [next((i for i, h in enumerate(headings) if h.startswith(b)), None) for b in BONES]
    assert None not in positions, f"{path.name}: missing one of {BONES}"
    assert positions == sorted(positions), f"{path.name}: sections out of order"
    checks = [c for c in nb.cells if "self-check" in c.metadata.get("tags", [])]
    assert len(checks) >= 2, f"{path.name}: needs at least two self-checks"


def test_notebooks_use_no_relative_data_paths_or_downloads():
    for path in notebook_paths():
        text = path.read_text(encoding="utf-8")
        for bad in ("../data", "fetch_openml", "urlopen", "requests.get", "pip install", "wget "):
            assert bad not in text, f"{path.name} contains {bad!r}"


@pytest.mark.parametrize("snippet, runs", [
    ("agency_3.csv", False), ("MANIFEST.json", False), ("record_id", False), ("isna()", False),
    ("capital_loss <= 5000", False), ("0.25", False), ("a quarter", False),
    ("ds.frame.columns", True), ("(frame['casual'] + frame['registered'] == target).all()", True),
    ("load('adult')", True), ("x = lab.result", True),
])
def test_which_backticked_snippets_are_code(snippet, runs):
    assert is_runnable_snippet(snippet, {"ds", "lab"}) is runs


def test_the_snippet_check_names_the_question_and_the_snippet(monkeypatch):
    import tests.notebook_runner as runner

    monkeypatch.setattr(runner, "snippets_of", lambda nb: [("leaky_columns", "(ds.frame['a'] == 1).all()"),
                                                           ("free_licence", "agency_3.csv"),
                                                           ("trust_stage", "len(stages)")])
    with pytest.raises(AssertionError, match=r"leaky_columns: `\(ds.frame\['a'\] == 1\).all\(\)` raised NameError"):
        check_snippets("00_start_here", {"stages": [1, 2]})
    monkeypatch.setattr(runner, "snippets_of", lambda nb: [("trust_stage", "len(stages)")])
    assert check_snippets("00_start_here", {"stages": [1, 2]}) == 1
