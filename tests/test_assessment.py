"""The item bank, the pre- and post-test, recall questions and the seal, read from the learner's progress records."""

import json
import math
import re

import nbformat
import pytest

from lifecycle_kit.course import assessment
from lifecycle_kit.course.assessment import (
    POST_TEST,
    PRE_TEST,
    form_keys,
    learner_assessment,
    post_test_done,
    skip_pre_test,
)
from lifecycle_kit.course.progress import read_progress, record
from lifecycle_kit.course.selfchecks import for_notebook, notebooks
from lifecycle_kit.course.selfchecks.item_bank import (
    ITEMS,
    OBJECTIVES,
    RECALL_PLAN,
    bank_frame,
    items_of_form,
    objective_notebook,
)
from lifecycle_kit.i18n import gettext
from tests.notebook_runner import NOTEBOOKS

TASKS = {"predict", "explain", "choose", "spot the flaw"}


@pytest.fixture
def learner(tmp_path, monkeypatch):
    """A learner of their own: an empty progress file, nothing heard in this session."""
    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(path))
    monkeypatch.delenv("LIFECYCLE_KIT_PROGRESS", raising=False)
    assessment.forget_session()
    yield path
    assessment.forget_session()


def _objectives(path, marker):
    """The learning objectives of a notebook's Orientation, as written (without a trailing ';' or '.')."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(marker))
    return [line[2:].strip().rstrip(";.").strip() for line in cell.source.splitlines() if line.startswith("- ")]


# --- the bank ----------------------------------------------------------------------------------------------------

def test_every_stage_and_the_capstone_has_a_parallel_pair_on_one_objective():
    frame = bank_frame()
    for stage in range(1, 12):
        pre = [i for i in items_of_form("A") if i.stage == stage]
        post = [i for i in items_of_form("B") if i.stage == stage]
        assert len(pre) >= 1 and len(post) >= 1, f"stage {stage}: a pre-test and a post-test item"
        assert {i.objective for i in pre} == {i.objective for i in post}, f"stage {stage}: forms pair by objective"
        assert int(frame.loc[frame["stage"] == stage, "items"].sum()) >= 2
    assert len(items_of_form("A")) == len(items_of_form("B")) == 11


def test_items_are_unique_single_choice_with_a_hint_per_wrong_option():
    assert len({i.key for i in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert item.form in ("A", "B", "R") and item.task in TASKS, item.key
        assert item.key.startswith(item.objective[:2]), item.key
        assert item.correct in item.options and 3 <= len(item.options) <= 4, item.key
        assert set(item.hints) == set(item.options) - {item.correct}, f"{item.key}: a hint for each wrong option"
        assert len(item.explanation.split()) >= 20, f"{item.key}: explain why"


def test_neither_the_position_nor_the_length_of_an_option_gives_the_answer_away():
    # A test-wise learner who always picks one letter, or the longest option, must score no better than chance.
    for form in "ABR":
        items = items_of_form(form)
        for letter in "abcd":
            share = sum(i.correct == letter for i in items) / len(items)
            assert share <= 0.35, f"form {form}: {letter!r} is right in {share:.0%} of the items"
    longest = [i.key for i in ITEMS if max(i.options, key=lambda k: len(i.options[k])) == i.correct]
    assert len(longest) <= len(ITEMS) / 3, f"the right option is the longest in {len(longest)} items: {longest}"


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.key)
def test_an_item_asks_for_understanding_not_a_number_seen_on_screen(item):
    # Options are claims or choices, not bare numbers to recall; the prompt asks to predict, explain, choose or judge.
    for text in item.options.values():
        assert not re.fullmatch(r"[\d\s.,%]+", str(text)), f"{item.key}: an option that is only a number"
    prompt = str(item.prompt).lower()
    assert re.search(r"what|which|why|predict|should|is the data gone", prompt), item.key


@pytest.mark.parametrize("objective", sorted(OBJECTIVES))
def test_every_objective_is_its_notebooks_orientation_objective_in_both_editions(objective):
    notebook = objective_notebook(objective)
    index = int(objective.split(".")[1]) - 1
    english = _objectives(NOTEBOOKS / f"{notebook}.ipynb", "## Orientation")
    russian = _objectives(NOTEBOOKS / "ru" / f"{notebook}.ipynb", "## Ориентиры")
    assert english[index] == f"You will be able to {OBJECTIVES[objective]}", (
        f"{objective}: the bank's objective is not objective {index + 1} of {notebook}'s Orientation")
    assert russian[index] == gettext(OBJECTIVES[objective], lang="ru"), (
        f"{objective}: the catalogue's Russian text is not objective {index + 1} of notebooks/ru/{notebook}")
    assert any(item.objective == objective for item in ITEMS), f"{objective}: no item tests it"


def test_the_tests_are_questions_like_any_other():
    for form, letter in ((PRE_TEST, "A"), (POST_TEST, "B")):
        questions = for_notebook(form)
        assert list(questions) == [i.key for i in items_of_form(letter)] == form_keys(form)
        for key, question in questions.items():
            assert question.notebook == form and question.key == key and question.item.form == letter
    assert notebooks()[0] == PRE_TEST and notebooks()[-1] == POST_TEST


def test_recall_opens_every_stage_from_02_on_with_earlier_stages_never_the_tests():
    tested = {i.key for i in ITEMS if i.form in "AB"}
    for notebook in notebooks():
        recall = {k: q for k, q in for_notebook(notebook).items() if k.startswith("recall_")}
        number = int(notebook[:2]) if notebook[:2].isdigit() else None
        if number is None or number < 2 or number > 11:
            assert not recall, notebook
            continue
        assert 1 <= len(recall) <= 2, notebook
        for key, question in recall.items():
            assert question.item.form == "R" and question.item.key not in tested
            assert question.item.stage < number, f"{notebook}: {key} is not about an earlier stage"
            assert not question.sealed_until_post_test
    planned = [k for keys in RECALL_PLAN.values() for k in keys]
    assert len(planned) == len(set(planned)), "each recall item is asked once"
    assert set(planned) == {i.key for i in items_of_form("R")}, "every recall item is asked"


# --- the seal ----------------------------------------------------------------------------------------------------

def _wrong(question):
    """A wrong option of a question (the first one)."""
    return next(k for k in question.options if k != question.item.correct)


def _answer(form, *, right=True):
    for key, question in for_notebook(form).items():
        question.check(question.item.correct if right else _wrong(question))


def test_a_pre_test_answer_is_recorded_with_its_verdict_and_shown_only_as_recorded(learner):
    question = for_notebook(PRE_TEST)["04_manifest_rewrite"]
    wrong = question.check(_wrong(question))
    assert wrong.status == "recorded" and not wrong.hint and not wrong.explanation
    assert "recorded" in wrong.message and "notebook 12" in wrong.message
    assert "signature" not in repr(wrong).lower()  # the explanation (about signatures) is not shown
    solution = question.solution()
    assert solution.sealed and "post-test" in solution.answer and question.item.options[question.item.correct] not in repr(solution)
    records = read_progress(learner)
    assert records[["notebook", "question", "event", "status"]].values.tolist() == [
        [PRE_TEST, "04_manifest_rewrite", "check", "incorrect"]]  # the sealed solution was not a reveal


def test_the_post_test_is_sealed_until_its_last_item_then_both_forms_are_explained(learner):
    post = for_notebook(POST_TEST)
    keys = list(post)
    for key in keys[:-1]:
        assert post[key].check(post[key].item.correct).status == "recorded"
    assert not post_test_done()
    last = post[keys[-1]].check(post[keys[-1]].item.correct)
    assert last.status == "correct" and last.explanation  # the post-test is done with this answer
    assert post_test_done()
    pre = for_notebook(PRE_TEST)["06_fraud_accuracy"]
    shown = pre.check(_wrong(pre), lang="ru")
    assert shown.status == "incorrect" and shown.hint and shown.lang == "ru"
    solution = pre.solution()
    assert not solution.sealed and "fraud" in solution.answer
    assert read_progress(learner)["event"].tolist()[-1] == "reveal"


def test_the_seal_is_read_from_the_progress_file_not_only_this_session(learner):
    for key in form_keys(POST_TEST):
        record(POST_TEST, key, event="check", status="correct", path=learner)
    assessment.forget_session()  # a new kernel: only the file knows
    assert post_test_done()
    question = for_notebook(PRE_TEST)["01_identifier_leak"]
    assert question.check(question.item.correct).status == "correct"


def test_with_recording_off_the_post_test_answered_in_this_session_opens_the_explanations(learner, monkeypatch):
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS", "off")
    _answer(POST_TEST)
    assert not learner.exists() and post_test_done()


def test_a_damaged_progress_file_keeps_the_tests_sealed(learner):
    learner.write_text("not json\n")
    assert not post_test_done()
    assert for_notebook(PRE_TEST)["01_identifier_leak"].solution().sealed


def test_skipping_the_pre_test_is_recorded_readable_and_leaves_it_without_a_score(learner):
    questions = for_notebook(PRE_TEST)
    questions["01_identifier_leak"].check(questions["01_identifier_leak"].item.correct)
    assert skip_pre_test() == len(questions) - 1
    records = read_progress(learner)
    skips = records[records["event"] == "skip"]
    assert len(skips) == len(questions) - 1 and set(skips["status"]) == {"unanswered"}
    assert set(skips["attempt"]) == {0} and "01_identifier_leak" not in set(skips["question"])
    raw = [json.loads(line) for line in learner.read_text().splitlines()]
    # A check stays schema 1 (any kit reads it); a skip, an event older kits do not know, is schema 2.
    assert {(r["event"], r["schema"]) for r in raw} == {("check", 1), ("skip", 2)}
    # Answering after the skip does not make it a pre-test.
    for key, question in questions.items():
        question.check(question.item.correct)
    tests = learner_assessment()
    assert tests.pre.status == "skipped" and math.isnan(tests.pre.score)
    assert skip_pre_test() == 0


def test_old_progress_files_without_skips_read_as_before(tmp_path):
    path = tmp_path / "progress.jsonl"
    path.write_text('{"schema": 1, "user": "ada", "notebook": "04_data_acquisition", "question": "backdoor_success", '
                    '"event": "check", "status": "correct", "correct": true, "attempt": 1, '
                    '"time": "2025-11-29T07:05:12.345Z"}\n')
    assert read_progress(path)["event"].tolist() == ["check"]


def test_the_learner_sees_scores_gain_and_objectives_to_revisit(learner):
    pre = for_notebook(PRE_TEST)
    for i, (key, question) in enumerate(pre.items()):  # 5 of 11 right
        question.check(question.item.correct if i < 5 else _wrong(question))
    recall = for_notebook("05_data_preparation")["recall_04_backdoor_clean_accuracy"]
    recall.check(_wrong(recall))  # wrong: its objective is to revisit, even while the tests are sealed
    tests = learner_assessment()
    assert tests.sealed and tests.pre.status == "complete" and tests.pre.right == 5
    assert tests.pre.score == pytest.approx(5 / 11)
    assert tests.revisit["objective"].tolist() == ["04.4"]  # the sealed pre-test's misses are not shown yet
    post = for_notebook(POST_TEST)
    for i, (key, question) in enumerate(post.items()):  # 9 of 11 right: the last two wrong
        question.check(question.item.correct if i < 9 else _wrong(question))
    tests = learner_assessment()
    assert not tests.sealed and tests.post.score == pytest.approx(9 / 11)
    assert tests.gain == pytest.approx((9 / 11 - 5 / 11) / (1 - 5 / 11))
    wrong_post = {q.item.objective for q in list(post.values())[9:]}
    assert set(tests.revisit["objective"]) == wrong_post | {"04.4"}
    assert all(t in OBJECTIVES.values() for t in tests.revisit["text"])


def test_a_pre_test_answered_after_the_post_test_began_does_not_count(learner):
    _answer(POST_TEST)
    _answer(PRE_TEST)
    tests = learner_assessment()
    assert tests.post.status == "complete" and tests.pre.status == "not taken"
    assert math.isnan(tests.gain)


def test_progress_command_shows_the_tests_and_what_to_revisit(learner, capsys):
    from lifecycle_kit.cli import main

    _answer(PRE_TEST, right=False)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "Pre-test: 0 of 11 right at the first answer (0%)" in out and "open once you have done" in out
    _answer(POST_TEST)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "Normalised gain: 1.00" in out and "Objectives to revisit" not in out
    assert main(["progress", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["tests"]["pre_test"]["score"] == 0 and document["tests"]["normalized_gain"] == 1.0
    assert main(["progress", "--lang", "ru"]) == 0
    assert "Входной тест" in capsys.readouterr().out


# --- the form ----------------------------------------------------------------------------------------------------

def test_the_form_submits_only_first_answers_and_reports_what_is_missing(learner):
    from lifecycle_kit.labs import AssessmentForm

    lab = AssessmentForm(PRE_TEST)
    keys = list(lab.questions)
    assert lab.result.state.status == "not taken" and lab.result.selected == 0
    for key in keys[:4]:
        lab.controls[key].value = lab.questions[key].item.correct
    assert lab.result.selected == 4  # moving a control recomputes
    lab.controls["submit"].click()
    assert lab.result.state.status == "partial" and lab.result.state.answered == 4
    assert "7 questions are not answered yet" in lab.message and "4 answers recorded" in lab.summary.value
    lab.controls[keys[0]].value = _wrong(lab.questions[keys[0]])
    for key in keys[4:]:
        lab.controls[key].value = lab.questions[key].item.correct
    lab.controls["submit"].click()
    # The changed first answer is not checked again: only first answers count, and all were right.
    assert lab.result.state.status == "complete" and lab.result.state.score == 1.0
    assert len(read_progress(learner)) == len(keys) and lab.result.review is None
    assert "11</b> of 11" in lab.summary.value and "open once" in lab.summary.value


def test_the_skip_button_closes_the_pre_test(learner):
    from lifecycle_kit.labs import AssessmentForm

    lab = AssessmentForm(PRE_TEST)
    lab.controls["skip"].click()
    assert lab.result.state.status == "skipped" and "no score" in lab.summary.value
    assert set(read_progress(learner)["event"]) == {"skip"}


def test_the_post_test_form_shows_the_gain_and_then_both_forms_explained(learner):
    from lifecycle_kit.labs import AssessmentForm

    _answer(PRE_TEST, right=False)
    lab = AssessmentForm(POST_TEST, lang="ru")
    assert "skip" not in lab.controls
    for key, question in lab.questions.items():
        lab.controls[key].value = question.item.correct
    lab.controls["submit"].click()
    result = lab.result
    assert not result.sealed and result.gain == 1.0 and result.state.score == 1.0
    review = result.review
    assert len(review) == 22 and set(review["stage"]) == set(range(1, 12))
    assert review["right_at_first_answer"].value_counts().to_dict() == {"да": 11, "нет": 11}
    assert "Ваш нормированный прирост" in lab.summary.value
    assert all(re.search("[а-я]", text) for text in review["explanation"])


def test_an_unknown_form_is_a_clear_error():
    from lifecycle_kit import LifecycleKitError
    from lifecycle_kit.labs import AssessmentForm

    with pytest.raises(LifecycleKitError, match="form must be 'pre_test' or 'post_test'"):
        AssessmentForm("mid_test")


def test_the_progress_lab_shows_the_tests_and_the_objectives_to_revisit(learner):
    from lifecycle_kit.labs import ProgressLab

    lab = ProgressLab(lang="ru")
    assert "Входной тест: ещё не пройден" in lab.summary.value
    _answer(PRE_TEST)
    for key, question in for_notebook(POST_TEST).items():
        question.check(question.item.correct if key != "08_inputs_unchanged" else _wrong(question))
    lab.controls["refresh"].click()
    summary = lab.summary.value
    assert "<b>11</b> из 11 (100" in summary and "<b>10</b> из 11" in summary
    rendered = " ".join(item for item in lab.render(lab.result) if isinstance(item, str))
    assert "Цели обучения, к которым стоит вернуться" in rendered and "8. Эксплуатация системы" in rendered
    assert lab.tests.revisit["objective"].tolist() == ["08.1"]
    assert math.isnan(lab.tests.gain)  # a perfect pre-test: nothing was left to gain
