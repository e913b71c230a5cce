"""The instructor's class report: found files, exact CSV, the hardest questions, reveals, times, offline HTML, CLI."""

import re

import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.cli import main
from lifecycle_kit.course.class_report import build_class_report, find_progress_files
from lifecycle_kit.course.progress import record
from lifecycle_kit.course.selfchecks import for_notebook, notebooks

LABELS = {
    "pre_test": "Pre-test",
    "00_start_here": "Start here",
    "01_conception": "1. Idea conception",
    "02_business_requirements": "2. Business requirements",
    "03_data_planning": "3. Data planning",
    "04_data_acquisition": "4. Data acquisition",
    "05_data_preparation": "5. Data preparation",
    "06_model_building": "6. Building a model",
    "07_system_deployment": "7. System deployment",
    "08_system_operation": "8. System operation",
    "09_data_decommissioning": "9. Data decommissioning",
    "10_system_decommissioning": "10. System decommissioning",
    "11_capstone_multi_source": "Capstone: Many sources, one system",
    "12_closing": "Closing",
    "post_test": "Post-test",
}


def _home(root, user):
    return root / user / ".local" / "share" / "lifecycle-kit" / "progress.jsonl"


@pytest.fixture
def homes(tmp_path):
    """Two learners' homes, as a hub keeps them: ada answered three questions, bob one and revealed one."""
    root = tmp_path / "home"

    def rec(user, nb, q, status, time, event="check"):
        record(nb, q, event=event, status=status, path=_home(root, user), user=user, time=f"2026-03-02T{time}Z")

    rec("ada", "00_start_here", "trust_stage", "incorrect", "10:00:00")
    rec("ada", "00_start_here", "trust_stage", "correct", "10:01:30")
    rec("ada", "00_start_here", "free_licence", "correct", "10:03:00")
    rec("ada", "04_data_acquisition", "backdoor_success", "unanswered", "11:00:00", event="reveal")
    rec("ada", "04_data_acquisition", "backdoor_success", "correct", "11:02:00")
    rec("bob", "00_start_here", "trust_stage", "correct", "09:00:00")
    rec("bob", "00_start_here", "free_licence", "unanswered", "09:05:00", event="reveal")
    (root / "bob" / "notes.txt").write_text("not progress")
    (root / "bob" / "progress.jsonl.bak").write_text("ignored: not the file name")
    return root


def test_folders_are_searched_recursively_and_each_file_read_once(homes):
    files, unreadable = find_progress_files([homes, _home(homes, "ada")])
    assert files == [_home(homes, "ada"), _home(homes, "bob")] and unreadable == []


def test_csv_is_one_row_per_learner_and_notebook_exactly(homes):
    report = build_class_report([homes])
    assert report.learners == ["ada", "bob"]
    q = {nb: len(for_notebook(nb)) for nb in notebooks()}
    assert list(q) == list(LABELS)
    done = {
        ("ada", "00_start_here"): f"2,2,{round(2 / q['00_start_here'], 3)},1,0,2026-03-02T10:00:00Z,2026-03-02T10:03:00Z,3.0",
        ("ada", "04_data_acquisition"): f"1,1,{round(1 / q['04_data_acquisition'], 3)},0,1,"
                                        "2026-03-02T11:00:00Z,2026-03-02T11:02:00Z,2.0",
        ("bob", "00_start_here"): f"1,1,{round(1 / q['00_start_here'], 3)},1,1,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,5.0",
    }
    expected = ["learner,stage,notebook,questions,answered,answered_right,completion,first_try_right,revealed,"
                "first_record,last_record,minutes,pre_score,post_score,normalized_gain"]
    for learner in ("ada", "bob"):
        for nb, label in LABELS.items():
            quoted = f'"{label}"' if "," in label else label  # CSV quotes a field holding a comma
            # Neither took the pre- or post-test: their scores and gain are empty.
            expected.append(f"{learner},{quoted},{nb},{q[nb]}," + done.get((learner, nb), "0,0,0.0,0,0,,,") + ",,,")
    assert report.to_csv() == "\n".join(expected) + "\n"


def test_hardest_questions_reveals_and_stage_times(homes):
    report = build_class_report([homes])
    hardest = report.hardest_questions()
    # backdoor_success: ada saw the solution before her first check, so it is no first-try success.
    assert hardest[["question", "learners", "first_try_right", "first_try_rate"]].values.tolist() == [
        ["backdoor_success", 1, 0, 0.0], ["trust_stage", 2, 1, 0.5], ["free_licence", 1, 1, 1.0]]
    reveals = report.reveals()
    assert reveals[["question", "learners_revealed", "revealed_before_right"]].values.tolist() == [
        ["free_licence", 1, 1], ["backdoor_success", 1, 1]]
    times = report.stage_times().set_index("notebook")
    assert times.loc["00_start_here", ["learners", "median_minutes", "q1_minutes", "q3_minutes", "max_minutes"]
                     ].tolist() == [2, 4.0, 3.5, 4.5, 5.0]
    assert times.loc["04_data_acquisition", "median_minutes"] == 2.0 and len(times) == 2
    matrix = report.completion_matrix().set_index("learner")
    assert matrix.loc["ada", "Start here"] == f"2/{len(for_notebook('00_start_here'))}"
    total = sum(len(for_notebook(nb)) for nb in notebooks())
    assert matrix.loc["bob", "all stages"] == f"1/{total} ({1 / total:.0%})"


def test_html_is_self_contained_and_names_every_learner(homes, tmp_path):
    record("01_conception", "q", event="check", status="correct", path=_home(homes, "eve"), user="<eve>&co")
    report = build_class_report([homes])
    html = report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text() == html
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"\b(src|href)\s*=", html) and "url(" not in html
    # The only address in the page is the SVG namespace, which no browser fetches.
    assert set(re.findall(r"https?://[^'\" >]+", html)) == {"http://www.w3.org/2000/svg"}
    for text in ("ada", "bob", "&lt;eve&gt;&amp;co", "Hardest questions", "Where solutions were revealed",
                 "Time per stage", "first to last recorded self-check event", "3 learner(s)"):
        assert text in html, text
    assert "<eve>" not in html


def test_a_report_without_any_record_is_empty_not_an_error(tmp_path):
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "progress.jsonl").write_text("")
    report = build_class_report(tmp_path)
    assert report.learners == ["ada"] and report.to_frame()["answered"].sum() == 0
    assert "1 learner(s), 0 self-check record(s)" in report.to_html()


def test_bad_paths_are_errors_and_a_damaged_line_is_listed_not_fatal(tmp_path, homes):
    with pytest.raises(LifecycleKitError, match="no such file or folder"):
        build_class_report([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(LifecycleKitError, match=r"no progress files \(progress.jsonl\) found"):
        build_class_report([tmp_path / "empty"])
    with open(_home(homes, "bob"), "a") as handle:
        handle.write('{"schema": 1}\n')
    report = build_class_report([homes])
    problems = report.problem_frame()
    assert problems[["learner", "file", "line"]].values.tolist() == [["bob", str(_home(homes, "bob")), 3]]
    assert problems["problem"][0].startswith("missing field(s)")
    assert report.to_frame().set_index(["learner", "notebook"]).loc[("bob", "00_start_here"), "answered_right"] == 1


def test_cli_writes_html_and_csv(homes, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["class-report", str(homes), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 learner(s), 7 record(s) from 2 progress file(s)" in printed
    assert (out / "class-report.html").read_text().startswith("<!DOCTYPE html>")
    assert (out / "class-report.csv").read_text() == build_class_report([homes]).to_csv()


@pytest.mark.parametrize("case, message", [
    ("missing", "no such file or folder"),
    ("no-files", "no progress files"),
    ("output-is-a-file", "exists and is not a folder"),
    ("no-output", "the following arguments are required: --output"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, homes, capsys, case, message):
    output = ["--output", str(tmp_path / "out")]
    if case == "missing":
        args = [str(tmp_path / "nowhere"), *output]
    elif case == "no-files":
        (tmp_path / "empty").mkdir()
        args = [str(tmp_path / "empty"), *output]
    elif case == "output-is-a-file":
        (tmp_path / "taken").write_text("x")
        args = [str(homes), "--output", str(tmp_path / "taken")]
    else:
        args = [str(homes)]
    assert main(["class-report", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_cli_lists_a_damaged_line_and_still_writes_the_report(tmp_path, homes, capsys):
    bad = tmp_path / "bad" / "progress.jsonl"
    bad.parent.mkdir()
    bad.write_text("oops\n")
    assert main(["class-report", str(homes), str(bad), "--output", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "2 learner(s)" not in out and "3 learner(s), 7 record(s) from 3 progress file(s)" in out
    assert f"{bad}, line 1: not valid JSON" in out
    assert "<td>not valid JSON (Expecting value at column 1): line left out</td>" in (
        tmp_path / "out" / "class-report.html").read_text()
