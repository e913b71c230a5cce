"""The capstone as an investigation that cannot be skipped (issue #20).

- The suspect and a reason are committed — and the commitment recorded — before any evidence is shown; until then
  every piece of evidence is withheld, so Run All of the learner's notebook names no source.
- The reveal is an explicit call. A flag the learner does not mark is skipped, never accepted; the review is
  measured on the flags actually reviewed.
- The progress file records the commitment and the completed investigation (schema 2), never the suspect or the
  reason; old files stay readable.
- Run All of the learner's notebook leaves the investigation incomplete; Run All of the solutions notebook completes
  it.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from lifecycle_kit.course import investigation as investigation_module
from lifecycle_kit.course.investigation import Withheld
from lifecycle_kit.course.progress import read_progress, record
from lifecycle_kit.course.selfchecks import for_notebook
from lifecycle_kit.course.selfchecks.capstone import _poisoned_facts
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.platform import POISONABLE
from tests.notebook_runner import NOTEBOOKS, execute_notebook

CAPSTONE = "11_capstone_multi_source"
REASON = "It is the one agency with measurements that is not on the list of trusted sources."


@pytest.fixture
def progress(monkeypatch, tmp_path):
    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(path))
    monkeypatch.delenv("LIFECYCLE_KIT_PROGRESS", raising=False)
    return path


@pytest.fixture
def fresh():
    """The capstone's investigation, as a learner's kernel starts it (no earlier commitment in this process)."""
    investigation_module._STATES.clear()
    yield for_notebook(CAPSTONE)["investigation"]
    investigation_module._STATES.clear()


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _sample(records, truth):
    return pd.DataFrame({"record": records}), dict(zip(records, truth))


# --- step 1: the commitment ----------------------------------------------------------------------------------


def test_nothing_is_shown_or_recorded_before_a_commitment(fresh, progress):
    inv = fresh
    assert not inv.commit("", "").done and not inv.committed
    assert isinstance(inv.show(pd.DataFrame({"source": ["a"]})), Withheld)
    assert isinstance(inv.evidence_summary(pd.DataFrame({"source": ["a"], "conflict_rate": [0.4]}),
                                           pd.DataFrame({"source": ["a"], "impact": [0.2]})), Withheld)
    refused = inv.reveal()
    assert not refused.done and "first" in refused.message
    assert _lines(progress) == []
    assert isinstance(Withheld("x").to_frame(), pd.DataFrame)  # a lifecycle report can hold withheld evidence


@pytest.mark.parametrize("suspect, reason, said", [
    ("tagging", REASON, "not one of the agencies"),
    ("isotope_lab", REASON, "not one of the agencies"),  # it records no measurements: it cannot be the poisoned one
    ("tagging_program", "", "in a sentence"),
    ("tagging_program", "untrusted", "in a sentence"),
    ("", REASON, "not one of the agencies"),
])
def test_a_commitment_needs_an_agency_and_a_reason(fresh, progress, suspect, reason, said):
    notice = fresh.commit(suspect, reason, lang="en")
    assert not notice.done and said in notice.message and not fresh.committed
    assert _lines(progress) == []


def test_the_commitment_is_recorded_without_the_suspect_or_the_reason(fresh, progress):
    notice = fresh.commit("tagging_program", REASON, lang="en")
    assert notice.done and fresh.committed and fresh.suspect == "tagging_program"
    (line,) = _lines(progress)
    assert (line["schema"], line["event"], line["status"], line["question"]) == (2, "commit", "unanswered",
                                                                               "investigation")
    assert line["detail"] == {"reason_words": len(REASON.split())}
    raw = progress.read_text(encoding="utf-8")
    assert "tagging_program" not in raw and not any(word in raw for word in ("agency", "trusted", "measurements"))


def test_once_the_evidence_was_shown_the_suspect_cannot_change(fresh, progress):
    inv = fresh
    inv.commit("field_survey", REASON)
    inv.commit("tagging_program", REASON)  # changed before any evidence: a second commitment, recorded
    assert inv.suspect == "tagging_program" and len(_lines(progress)) == 2
    evidence = pd.DataFrame({"source": ["a"]})
    assert inv.show(evidence) is evidence
    notice = inv.commit("station_registry", "The evidence points at it, so it must be the one.", lang="en")
    assert "stands" in notice.message and inv.suspect == "tagging_program"
    assert len(_lines(progress)) == 2


def test_rebuilding_the_catalogue_keeps_the_commitment(fresh, progress):
    fresh.commit("tagging_program", REASON)
    fresh.show("evidence")
    again = for_notebook(CAPSTONE)["investigation"]  # the learner re-runs the cell that builds the questions
    assert again.committed and again.suspect == "tagging_program"
    assert "stands" in again.commit("field_survey", REASON, lang="en").message


# --- step 2: the review --------------------------------------------------------------------------------------


def test_an_unmarked_flag_is_skipped_and_the_review_is_measured_on_what_was_reviewed(fresh, progress):
    inv = fresh
    inv.commit("tagging_program", REASON)
    sample, wrong = _sample(["a:0", "a:1", "b:2", "b:3"], [True, False, True, False])
    notice = inv.review(sample, {"a:0": "accept", "a:1": "reject"}, wrong=wrong, lang="en")
    assert not notice.done and "2 skipped" in notice.message and "not accepted" in notice.message
    assert "%" not in notice.text()  # no precision before the reveal: it would be the truth
    revealed = inv.reveal(lang="en")
    assert not revealed.done
    review_line = next(line for line in revealed.lines if line.startswith("Review:"))
    assert "you decided 2 of 4 flags (2 skipped)" in review_line
    assert "50% are true errors" in review_line and "100% of the flags you accepted" in review_line
    check = _lines(progress)[-1]
    assert (check["event"], check["status"], check["detail"]) == ("check", "partial",
                                                                 {"suspect_right": False, "reviewed": 2, "skipped": 2})


def test_a_review_with_nothing_marked_is_shown_as_skipped(fresh, progress):
    fresh.commit("tagging_program", REASON)
    sample, wrong = _sample(["a:0", "a:1"], [True, False])
    notice = fresh.review(sample, {}, wrong=wrong, lang="en")
    assert notice.message.startswith("Review skipped: none of the 2 flags is marked")
    assert "skipped: none of 2 flags marked" in fresh.to_frame(lang="en").to_string()


def test_a_bad_decision_is_said_and_not_recorded(fresh, progress):
    fresh.commit("tagging_program", REASON)
    sample, wrong = _sample(["a:0"], [True])
    notice = fresh.review(sample, {"a:0": "yes"}, wrong=wrong, lang="en")
    assert "could not be recorded" in notice.message and "'accept' or 'reject'" in notice.message


# --- step 3: the reveal --------------------------------------------------------------------------------------


def test_the_reveal_names_the_truth_judges_the_suspect_and_completes_a_full_review(fresh, progress):
    inv = fresh
    facts = _poisoned_facts()
    inv.commit(facts["source"], REASON)
    before = inv.to_frame(lang="en").to_string()
    assert "truth revealed" in before and facts["source"] in before  # the learner's own suspect, not the truth
    sample, wrong = _sample(["a:0", "a:1"], [True, False])
    inv.review(sample, {"a:0": "accept", "a:1": "reject"}, wrong=wrong)
    notice = inv.reveal(lang="en")
    assert notice.done and notice.message.startswith(f"The truth: {facts['source']} had {facts['flipped']} ")
    assert "was right" in notice.lines[0] and REASON in notice.lines[0]
    commit, check = _lines(progress)
    assert commit["event"] == "commit" and check["event"] == "check" and check["status"] == "correct"
    assert check["detail"] == {"suspect_right": True, "reviewed": 2, "skipped": 0}
    assert f"yes: {facts['source']}; your suspect was right" in inv.to_frame(lang="en").to_string()


def test_the_truth_is_not_in_anything_shown_before_the_reveal(fresh, progress):
    poisoned = _poisoned_facts()["source"]
    others = [s for s in POISONABLE if s != poisoned]
    fresh.commit(others[0], REASON)
    shown = [str(fresh.check("anything")), str(fresh.solution()), fresh.to_frame().to_string(), fresh.prompt,
             str(fresh.explanation)]
    assert not any(poisoned in text for text in shown)


def test_the_poisoned_source_question_judges_nothing_before_a_commitment(fresh, progress):
    """Clicking through the agencies until one is "correct" would skip the commitment: no verdict, no solution."""
    q = for_notebook(CAPSTONE)["poisoned_source"]
    poisoned = _poisoned_facts()["source"]
    for option in POISONABLE:
        feedback = q.check(option, lang="en")
        assert feedback.status == "unanswered" and "Commit to a suspect" in feedback.message, option
        assert poisoned not in f"{feedback.message} {feedback.hint} {feedback.explanation}"
    solution = q.solution(lang="en")
    assert poisoned not in repr(solution) and "Commit to a suspect" in repr(solution)
    assert _lines(progress) == []  # neither a check nor a reveal was recorded
    fresh.commit(next(s for s in POISONABLE if s != poisoned), REASON)
    assert q.check(poisoned, lang="en").correct
    assert not q.check(next(s for s in POISONABLE if s != poisoned), lang="en").correct
    assert poisoned in repr(q.solution(lang="en"))
    assert [line["event"] for line in _lines(progress)] == ["commit", "check", "check", "reveal"]


# --- the progress file -----------------------------------------------------------------------------------------


def test_a_progress_file_of_the_old_schema_is_still_read(tmp_path):
    old = tmp_path / "old.jsonl"
    old.write_text('{"schema": 1, "user": "ada", "notebook": "04_data_acquisition", "question": "backdoor_success", '
                   '"event": "check", "status": "correct", "correct": true, "attempt": 1, '
                   '"time": "2026-11-29T07:05:12.345Z"}\n', encoding="utf-8")
    frame = read_progress(old)
    assert frame["status"].tolist() == ["correct"] and frame["detail"].tolist() == [None]


def test_a_line_without_a_commitment_keeps_the_old_schema_so_an_older_kit_reads_it(tmp_path):
    path = tmp_path / "p.jsonl"
    assert record("04_data_acquisition", "backdoor_success", event="check", status="correct", path=path)["schema"] == 1
    assert record(CAPSTONE, "investigation", event="commit", status="unanswered", path=path,
                  detail={"reason_words": 9})["schema"] == 2
    frame = read_progress(path)
    assert frame["schema"].tolist() == [1, 2] and frame["detail"].tolist()[1] == {"reason_words": 9}


@pytest.mark.parametrize("edit, problem", [
    ({"schema": 1, "event": "commit"}, "event must be one of check, reveal in a schema 1 line"),
    ({"schema": 2, "detail": {"reason": "because it is untrusted"}}, "detail 'reason' must be true, false or a whole"),
    ({"schema": 2, "detail": {"Reason Words": 3}}, "detail name"),
    ({"schema": 2, "detail": ["tagging_program"]}, "detail must be a JSON object"),
    ({"schema": 2, "detail": {f"k{chr(97 + i)}": 1 for i in range(9)}}, "at most 8"),
])
def test_a_detail_cannot_carry_an_answer(tmp_path, edit, problem):
    line = {"schema": 2, "user": "ada", "notebook": CAPSTONE, "question": "investigation", "event": "commit",
            "status": "unanswered", "correct": False, "attempt": 0, "time": "2026-11-29T07:05:12.345Z", **edit}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(LifecycleKitError, match=re.escape(problem)):
        read_progress(path)
    if "detail" in edit:  # the kit cannot write such a detail either
        with pytest.raises(LifecycleKitError):
            record(CAPSTONE, "investigation", event="commit", status="unanswered", path=tmp_path / "q.jsonl",
                   detail=edit["detail"])


def test_the_class_report_counts_a_completed_investigation(tmp_path):
    from lifecycle_kit.course.class_report import build_class_report

    path = tmp_path / "ada" / "progress.jsonl"
    record(CAPSTONE, "investigation", event="commit", status="unanswered", path=path, user="ada",
           detail={"reason_words": 12})
    record(CAPSTONE, "investigation", event="check", status="correct", path=path, user="ada",
           detail={"suspect_right": False, "reviewed": 10, "skipped": 0})
    report = build_class_report([tmp_path])
    assert not report.problems
    row = report.to_frame().set_index("notebook").loc[CAPSTONE]
    assert row["answered_right"] == 1 and row["questions"] == len(for_notebook(CAPSTONE))


# --- Run All -------------------------------------------------------------------------------------------------


def _texts(nb):
    """Every text the executed notebook shows: outputs (all text formats) and the saved widget state."""
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/"):
                    texts.append(value if isinstance(value, str) else "".join(value))

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    # One widget is one text: a radio button's options are a listing of every source, not three namings.
    models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    texts += [" ".join(strings(model)) for model in models.values()]
    return [t for t in texts if t]


def _singles_out(text, poisoned):
    """A text names the poisoned source when it mentions it without listing every other source that could be it."""
    return poisoned in text and not all(source in text for source in POISONABLE)


def _outputs_of(nb, cell_id):
    cell = next(c for c in nb.cells if c.get("id") == cell_id)
    return " ".join(o.get("text", "") or "".join(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def _report(nb):
    printed = _outputs_of(nb, "cell-28")
    return Path(re.search(r"(\S+capstone_report\.html)", printed).group(1)).read_text(encoding="utf-8")


def _run(path, tmp_path_factory, monkeypatch_env):
    folder = tmp_path_factory.mktemp("capstone-run")
    progress = folder / "progress.jsonl"
    monkeypatch_env.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(progress))  # the kernel inherits it
    nb, _seconds = execute_notebook(path, cwd=folder)
    return nb, _lines(progress)


@pytest.fixture(scope="module")
def learner_run(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        return _run(NOTEBOOKS / f"{CAPSTONE}.ipynb", tmp_path_factory, env)


@pytest.fixture(scope="module")
def solutions_run(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        return _run(NOTEBOOKS / "solutions" / f"{CAPSTONE}.ipynb", tmp_path_factory, env)


@pytest.mark.notebook
def test_run_all_alone_leaves_the_investigation_incomplete(learner_run):
    nb, lines = learner_run
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    mine = [line for line in lines if line["question"] == "investigation"]
    assert mine == [], "Run All committed, checked or revealed something"
    assert not [line for line in lines if line["correct"]], "Run All answered a capstone question right"
    assert "No suspect committed yet" in _outputs_of(nb, "suspect-commit-step")
    for cell in ("suspect-source-apply", "cell-20", "cell-21", "review-sample"):
        assert "Withheld until you commit" in _outputs_of(nb, cell), cell
    assert "Review skipped: none of the 10 flags is marked" in _outputs_of(nb, "review-score")
    assert _outputs_of(nb, "reveal") == ""  # the reveal is a call the learner makes, not an output of Run All
    report = _report(nb)
    for state in ("suspect committed before the evidence", "skipped: none of 10 flags marked", "Withheld until"):
        assert state in report
    assert re.search(r"truth revealed</td><td[^>]*>no</td>", report)


@pytest.mark.notebook
def test_no_output_of_run_all_names_the_poisoned_source(learner_run):
    nb, _ = learner_run
    poisoned = _poisoned_facts()["source"]
    named = [text[:200] for text in _texts(nb) if _singles_out(text, poisoned)]
    assert not named, f"{poisoned} is singled out by: {named}"
    assert _singles_out(f"most contradicted: {poisoned}", poisoned)  # the rule catches a naming


@pytest.mark.notebook
def test_run_all_of_the_solutions_notebook_completes_the_investigation(solutions_run):
    nb, lines = solutions_run
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    mine = [line for line in lines if line["question"] == "investigation"]
    assert [line["event"] for line in mine] == ["commit", "check"]  # committed before anything was judged
    commit, check = mine
    assert commit["detail"]["reason_words"] >= 4 and check["status"] == "correct"
    assert check["detail"]["reviewed"] == 10 and check["detail"]["skipped"] == 0
    facts = _poisoned_facts()
    assert check["detail"]["suspect_right"] == (facts["source"] == "tagging_program")
    assert _outputs_of(nb, "reveal").startswith(f"The truth: {facts['source']} had {facts['flipped']} ")
    assert f"yes: {facts['source']}" in _report(nb)
