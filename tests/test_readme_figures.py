"""The README's figures are the ones the benchmarks, the tests and the package hold.

The README promises speeds (the benchmarks' budgets), how quickly `make hub` stops, and the name of the wheel a
learner installs; each is read from the README here and compared with the code that measures or makes it, so a
budget changed in a benchmark, or a new version, cannot leave the README saying something else.
"""

import re
from pathlib import Path

import pytest

import lifecycle_kit
from benchmarks import bench_labs, bench_notebooks, bench_poisoning, bench_quality
from tests.hub import test_stop

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bullet(name):
    """The README's benchmark bullet for the suite ``name`` ("  - `name`: ..."), up to the next bullet."""
    match = re.search(rf"^  - `{name}`: (.*?)(?=^  - `|^  Run one suite)", README, flags=re.M | re.S)
    assert match, f"no benchmark bullet for {name} in the README"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("suite, pattern, budgets", [
    ("notebooks", r"≤ (\d+) s each, ≤ (\d+) min in all",
     (bench_notebooks.NOTEBOOK_BUDGET_S, bench_notebooks.COURSE_BUDGET_S / 60)),
    ("labs", r"median ≤ (\d+) ms, worst ≤ (\d+) ms", (bench_labs.MEDIAN_BUDGET_MS, bench_labs.WORST_BUDGET_MS)),
    ("poisoning", r"sweep \(≤ (\d+) s\)", (bench_poisoning.SWEEP_BUDGET_S,)),
    ("quality", r"\(≤ (\d+) s each", (bench_quality.WIDE_BUDGET_S,)),
])
def test_the_readme_states_the_benchmarks_budgets(suite, pattern, budgets):
    found = re.search(pattern, _bullet(suite))
    assert found, f"the README's `{suite}` bullet no longer states its budget as {pattern!r}"
    assert tuple(float(x) for x in found.groups()) == tuple(float(b) for b in budgets), (suite, found.group(0))


def test_the_readme_says_how_fast_make_hub_stops_within_what_the_test_holds():
    measured = re.search(r"stops\s+with Ctrl\+C in a few seconds \(([\d.]+)-([\d.]+) s measured", README)
    held = re.search(r"`tests/hub/test_stop.py` holds it to (\d+) s", README)
    assert measured and held
    assert float(measured.group(2)) <= float(held.group(1)) == test_stop.STOP_BUDGET_S


def test_the_wheel_named_in_the_readme_and_the_install_page_is_this_version():
    for path in (ROOT / "README.md", ROOT / "docs" / "install.md", ROOT / "docs" / "ru" / "install.md"):
        names = re.findall(r"lifecycle_kit-(\d+\.\d+\.\d+)-py3-none-any\.whl", path.read_text(encoding="utf-8"))
        assert names and set(names) == {lifecycle_kit.__version__}, (path.name, names)


def test_the_budget_check_fails_when_the_readme_disagrees(monkeypatch):
    monkeypatch.setattr(bench_labs, "MEDIAN_BUDGET_MS", 150)
    with pytest.raises(AssertionError):
        test_the_readme_states_the_benchmarks_budgets(
            "labs", r"median ≤ (\d+) ms, worst ≤ (\d+) ms", (bench_labs.MEDIAN_BUDGET_MS, bench_labs.WORST_BUDGET_MS))
