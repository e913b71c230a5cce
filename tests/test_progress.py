"""Learner progress: what a self-check records, where, how safely, and how it is read back and summarised."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from lifecycle_kit import LifecycleKitError, progress
from lifecycle_kit.cli import main
from lifecycle_kit.course.progress import progress_file, read_progress, record
from lifecycle_kit.course.selfchecks import for_notebook, notebooks
from lifecycle_kit.course.summary import summarise_progress


@pytest.fixture
def progress_path(tmp_path, monkeypatch):
    """A fresh progress file for one test, with recording on whatever the caller's environment says."""
    path = tmp_path / "data" / "progress.jsonl"
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(path))
    monkeypatch.delenv("LIFECYCLE_KIT_PROGRESS", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    monkeypatch.setattr(progress, "_warned", False)
    return path


def lines(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_the_test_suite_never_records_into_the_real_users_file():
    import platformdirs

    real = platformdirs.user_data_path("lifecycle-kit") / "progress.jsonl"
    assert os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] != str(real)
    assert "lifecycle-kit-test-progress-" in os.environ["LIFECYCLE_KIT_PROGRESS_FILE"]


def test_progress_file_is_the_variable_or_the_users_data_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(tmp_path / "p.jsonl"))
    assert progress_file() == tmp_path / "p.jsonl"
    monkeypatch.delenv("LIFECYCLE_KIT_PROGRESS_FILE")
    assert progress_file() == platformdirs.user_data_path("lifecycle-kit") / "progress.jsonl"


def test_a_check_records_notebook_question_verdict_attempt_and_time_but_never_the_answer(progress_path):
    questions = for_notebook("00_start_here")
    trust = questions["trust_stage"]
    assert trust.notebook == "00_start_here" and trust.key == "trust_stage"
    wrong = next(k for k in trust.options if k not in trust.correct)
    right = next(iter(trust.correct))
    assert trust.check(wrong).status == "incorrect"
    assert trust.check("zz-my-secret-answer").status == "invalid"
    assert trust.check(right).correct
    records = lines(progress_path)
    assert [(r["status"], r["correct"], r["attempt"]) for r in records] == [
        ("incorrect", False, 1), ("invalid", False, 2), ("correct", True, 3)]
    first = records[0]
    assert set(first) == {"schema", "user", "notebook", "question", "event", "status", "correct", "attempt", "time"}
    assert (first["schema"], first["user"], first["notebook"], first["question"], first["event"]) == (
        1, "ada", "00_start_here", "trust_stage", "check")
    assert first["time"].endswith("Z")
    assert "zz-my-secret-answer" not in progress_path.read_text()


def test_unanswered_checks_are_not_recorded_and_reveals_are(progress_path):
    q = for_notebook("00_start_here")["trust_stage"]
    assert q.check(...).status == "unanswered" and q.check(None).status == "unanswered"
    assert not progress_path.exists()
    q.solution()
    q.check(next(k for k in q.options if k not in q.correct))
    q.solution()
    records = lines(progress_path)
    assert [(r["event"], r["status"], r["correct"], r["attempt"]) for r in records] == [
        ("reveal", "unanswered", False, 0), ("check", "incorrect", False, 1), ("reveal", "unanswered", False, 1)]


def test_attempts_count_per_user_and_question_over_the_file(progress_path):
    kw = dict(event="check", status="incorrect", path=progress_path)
    assert record("04_data_acquisition", "a", user="ada", **kw)["attempt"] == 1
    assert record("04_data_acquisition", "a", user="ada", **kw)["attempt"] == 2
    assert record("04_data_acquisition", "b", user="ada", **kw)["attempt"] == 1
    assert record("04_data_acquisition", "a", user="bob", **kw)["attempt"] == 1
    assert record("05_data_preparation", "a", user="ada", **kw)["attempt"] == 1
    # Another process (a second notebook) appends behind this one's back: the count follows the file.
    extra = {**lines(progress_path)[0], "attempt": 3, "time": "2026-01-01T00:00:00Z"}
    with open(progress_path, "a") as handle:
        handle.write(json.dumps(extra) + "\n")
    assert record("04_data_acquisition", "a", user="ada", **kw)["attempt"] == 4


def test_attempts_are_recounted_when_the_file_is_replaced(progress_path):
    kw = dict(event="check", status="incorrect", path=progress_path)
    record("01_conception", "q", **kw)
    record("01_conception", "q", **kw)
    moved = progress_path.with_name("old.jsonl")
    progress_path.rename(moved)  # the learner starts afresh
    assert record("01_conception", "q", **kw)["attempt"] == 1
    assert len(lines(moved)) == 2


def test_a_question_without_a_notebook_records_nothing(progress_path):
    from lifecycle_kit.course.exercises import NumericQuestion

    q = NumericQuestion("2 + 2?", answer=4, tolerance=0, key="sum")
    q.check(4)
    q.solution()
    assert not progress_path.exists()


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "False", "no", " No "])
def test_the_variable_turns_recording_off(progress_path, monkeypatch, value):
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS", value)
    q = for_notebook("00_start_here")["trust_stage"]
    assert q.check(next(iter(q.correct))).correct
    q.solution()
    assert not progress_path.exists()


@pytest.mark.parametrize("value", ["on", "1", "yes", ""])
def test_other_values_keep_recording_on(progress_path, monkeypatch, value):
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS", value)
    for_notebook("00_start_here")["trust_stage"].check("a")
    assert len(lines(progress_path)) == 1


def test_a_recording_failure_is_one_warning_and_the_check_still_works(progress_path, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the progress folder should be")
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(blocker / "progress.jsonl"))
    q = for_notebook("00_start_here")["trust_stage"]
    right = next(iter(q.correct))
    with pytest.warns(RuntimeWarning, match="could not be recorded") as caught:
        assert q.check(right).correct
    assert "LIFECYCLE_KIT_PROGRESS=off" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second failure stays silent
        assert q.check(right).correct
        assert q.solution().answer


def test_a_last_line_without_newline_does_not_swallow_the_next_record(progress_path):
    record("01_conception", "q", event="check", status="correct", path=progress_path)
    with open(progress_path, "a") as handle:
        handle.write('{"half a line')  # a crash or an editor that dropped the newline
    record("01_conception", "q", event="check", status="correct", path=progress_path)
    raw = progress_path.read_text().splitlines()
    assert raw[1] == '{"half a line' and json.loads(raw[2])["attempt"] == 2
    with pytest.raises(LifecycleKitError, match=r"line 2: not valid JSON"):
        read_progress(progress_path)


def test_a_newline_removed_in_place_is_noticed_even_when_nothing_new_was_appended(progress_path):
    record("01_conception", "q", event="check", status="correct", path=progress_path)
    with open(progress_path, "r+b") as handle:  # same file, same size: only the last byte changed
        handle.seek(-1, 2)
        handle.write(b" ")
    record("01_conception", "q", event="check", status="correct", path=progress_path)
    assert [r["attempt"] for r in lines(progress_path)] == [1, 2]


_WRITER = """
import sys
from lifecycle_kit.course.progress import record
for _ in range(500):
    record("04_data_acquisition", "backdoor_success", event="check", status="incorrect", path=sys.argv[1],
           user="ada")
"""


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    path = tmp_path / "progress.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path)]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    frame = read_progress(path)  # every line is a whole, valid record
    assert len(frame) == 1000
    # The lock spans counting and writing, so the attempt numbers are exactly 1..1000.
    assert sorted(frame["attempt"]) == list(range(1, 1001))


@pytest.mark.parametrize("line, problem", [
    ("not json at all", "not valid JSON"),
    ("[1, 2]", "expected a JSON object, found list"),
    ('{"schema": 1}', "missing field(s) user, notebook"),
    ("SCHEMA3", "schema 3, expected 1 or 2"),
    ("STATUS", "status must be one of"),
    ("CORRECT", "correct is True but status is 'incorrect'"),
    ("ATTEMPT", "attempt must be a whole number"),
    ("TIME", "is not an ISO 8601 time"),
    ("NAIVE", "has no time zone"),
])
def test_a_damaged_line_is_named_with_its_file_and_line_and_the_file_is_left_alone(tmp_path, line, problem):
    path = tmp_path / "progress.jsonl"
    good = record("01_conception", "q", event="check", status="incorrect", path=path, user="ada")
    edits = {"SCHEMA3": {"schema": 3}, "STATUS": {"status": "great"}, "CORRECT": {"correct": True},
             "ATTEMPT": {"attempt": "two"}, "TIME": {"time": "yesterday"}, "NAIVE": {"time": "2026-01-01T10:00:00"}}
    bad = json.dumps({**good, **edits[line]}) if line in edits else line
    with open(path, "a") as handle:
        handle.write("\n" + bad + "\n")  # line 2 blank (allowed), line 3 damaged
    before = path.read_bytes()
    with pytest.raises(LifecycleKitError) as err:
        read_progress(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line 3: ") and problem in message
    assert "never changes this file" in message and "text editor" in message
    assert path.read_bytes() == before


def test_read_progress_types_and_sources(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    record("01_conception", "q", event="check", status="correct", path=a, user="ada", time="2026-03-01T10:00:00Z")
    record("01_conception", "q", event="reveal", status="unanswered", path=b, user="bob",
           time="2026-03-01T11:00:00+00:00")
    frame = read_progress([a, b])
    assert list(frame["user"]) == ["ada", "bob"] and list(frame["source"]) == [str(a), str(b)]
    assert str(frame["time"].dt.tz) == "UTC" and frame["correct"].dtype == bool
    assert list(frame["line"]) == [1, 1]
    with pytest.raises(LifecycleKitError, match="no such progress file"):
        read_progress(tmp_path / "missing.jsonl")


def test_summary_per_stage_counts_questions_not_attempts(tmp_path):
    path = tmp_path / "progress.jsonl"

    def rec(nb, q, status, event="check"):
        record(nb, q, event=event, status=status, path=path, user="ada")

    rec("04_data_acquisition", "backdoor_success", "incorrect")
    rec("04_data_acquisition", "backdoor_success", "correct")      # right, at the second try
    rec("04_data_acquisition", "backdoor_success", "correct")      # right again: still one question
    rec("04_data_acquisition", "q2", "correct")                    # right at the first try
    rec("04_data_acquisition", "q3", "unanswered", event="reveal")  # revealed, then right: not a first try
    rec("04_data_acquisition", "q3", "correct")
    rec("04_data_acquisition", "q4", "partial")
    rec("04_data_acquisition", "q4", "unanswered", event="reveal")
    summary = summarise_progress(read_progress(path))
    assert list(summary["notebook"]) == notebooks()  # every notebook, course order
    row = summary.set_index("notebook").loc["04_data_acquisition"]
    known = set(for_notebook("04_data_acquisition"))
    assert row["stage"] == "4. Data acquisition"
    assert row["questions"] == len(known | {"backdoor_success", "q2", "q3", "q4"})
    assert (row["answered"], row["answered_right"], row["first_try_right"], row["revealed"]) == (4, 3, 1, 2)
    others = summary[summary["notebook"] != "04_data_acquisition"]
    assert (others[["answered", "answered_right", "first_try_right", "revealed"]] == 0).all().all()
    assert summary.set_index("notebook").loc["00_start_here", "stage"] == "Start here"


def test_cli_progress_shows_the_learners_summary(progress_path, capsys):
    q = for_notebook("00_start_here")["trust_stage"]
    q.check(next(iter(q.correct)))
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert str(progress_path) in out and "Start here" in out and "4. Data acquisition" in out
    total = sum(len(for_notebook(nb)) for nb in notebooks())
    assert f"1 of {total} questions answered right" in out and "1 at the first try" in out
    assert main(["progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["records"] == 1 and data["recording"] is True
    start = next(s for s in data["stages"] if s["notebook"] == "00_start_here")
    assert (start["answered_right"], start["first_try_right"], start["revealed"]) == (1, 1, 0)


def test_cli_progress_before_any_check_is_all_zero(progress_path, capsys):
    assert main(["progress"]) == 0
    assert "(0 record(s))" in capsys.readouterr().out


def test_cli_progress_bad_input_exits_2_with_one_line(progress_path, tmp_path, capsys):
    assert main(["progress", "--file", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such progress file" in err and err.count("\n") == 1
    progress_path.parent.mkdir(parents=True)
    progress_path.write_text("garbage\n")
    assert main(["progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {progress_path}, line 1: not valid JSON") and err.count("\n") == 1


def test_progress_lab_shows_the_summary_and_refreshes(progress_path):
    from lifecycle_kit.labs import ProgressLab

    lab = ProgressLab()
    assert lab.error is None and int(lab.result["answered_right"].sum()) == 0
    q = for_notebook("00_start_here")["trust_stage"]
    q.check(next(k for k in q.options if k not in q.correct))
    q.check(next(iter(q.correct)))
    q.solution()
    lab.controls["refresh"].click()
    row = lab.result.set_index("notebook").loc["00_start_here"]
    assert (row["answered_right"], row["first_try_right"], row["revealed"]) == (1, 0, 1)
    assert "<b>1</b> of" in lab.summary.value
    assert len(lab.render(lab.result)) == 3
    with open(progress_path, "a") as handle:
        handle.write("{broken\n")
    lab.controls["refresh"].click()
    assert lab.result is None and "line 4" in lab.error
