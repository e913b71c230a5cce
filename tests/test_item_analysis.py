"""Scores, normalised gain and item statistics: by hand, against scipy, and on simulated classes of known ability."""

import math

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.course.class_report import ClassReport, build_class_report
from lifecycle_kit.course.class_simulation import simulate_class
from lifecycle_kit.course.item_analysis import (
    FLAG_EASY,
    FLAG_HARD,
    FLAG_NEGATIVE,
    form_scores,
    gain_summary,
    item_statistics,
    learner_gains,
    normalized_gain,
    objective_scores,
)
from lifecycle_kit.course.progress import record
from lifecycle_kit.course.summary import notebook_questions


def _records(rows):
    """Records from (user, notebook, question, event, correct, attempt[, minute])."""
    out = []
    for row in rows:
        user, nb, q, event, correct, attempt, *minute = row
        out.append({"user": user, "notebook": nb, "question": q, "event": event, "correct": correct,
                    "status": "correct" if correct else ("unanswered" if event != "check" else "incorrect"),
                    "attempt": attempt,
                    "time": pd.Timestamp("2026-03-02T09:00:00Z") + pd.Timedelta(minutes=minute[0] if minute else 0)})
    return pd.DataFrame(out)


@pytest.mark.parametrize("pre, post, gain", [
    (0.4, 0.7, 0.5), (0.0, 1.0, 1.0), (0.5, 0.5, 0.0), (0.5, 0.25, -0.5), (0.9, 0.95, 0.5), (0.8, 0.0, -4.0),
])
def test_normalized_gain_by_hand(pre, post, gain):
    assert normalized_gain(pre, post) == pytest.approx(gain)


@pytest.mark.parametrize("pre, post", [(1.0, 1.0), (1.0, 0.5), (float("nan"), 0.5), (0.5, float("nan"))])
def test_normalized_gain_is_undefined_at_the_ceiling_and_for_a_missing_score(pre, post):
    assert math.isnan(normalized_gain(pre, post))


def test_form_scores_count_first_answers_and_say_why_there_is_no_score():
    rows = [("ada", "pre", "q1", "check", False, 1), ("ada", "pre", "q1", "check", True, 2),  # wrong first
            ("ada", "pre", "q2", "check", True, 1),
            ("bob", "pre", "q1", "check", True, 1),  # one of two: partial
            ("cem", "pre", "q1", "skip", False, 0), ("cem", "pre", "q2", "skip", False, 0),
            ("cem", "pre", "q1", "check", True, 1), ("cem", "pre", "q2", "check", True, 1),  # skipped first
            ("dan", "other", "x", "check", True, 1),  # not taken
            ("ada", "pre", "extra", "check", True, 1)]  # not an item of the form: ignored
    scores = form_scores(_records(rows), {"pre": ["q1", "q2"]}).set_index("user")
    assert scores.loc["ada", ["status", "answered", "right", "score"]].tolist() == ["complete", 2, 1, 0.5]
    assert scores.loc["bob", "status"] == "partial" and math.isnan(scores.loc["bob", "score"])
    assert scores.loc["cem", "status"] == "skipped" and math.isnan(scores.loc["cem", "score"])
    assert scores.loc["dan", ["status", "answered"]].tolist() == ["not taken", 0]


def test_learner_gains_and_the_class_summary():
    rows = []
    plan = {"ada": ([1, 0, 0, 0], [1, 1, 1, 0]), "bob": ([1, 1, 0, 0], [1, 1, 1, 1]),
            "cem": ([1, 1, 1, 1], [1, 1, 1, 1]), "dan": ([0, 0, 0, 0], [0, 0, 0, 0])}
    for user, (pre, post) in plan.items():
        rows += [(user, "pre", f"q{i}", "check", bool(x), 1, 0) for i, x in enumerate(pre)]
        rows += [(user, "post", f"q{i}", "check", bool(x), 1, 60) for i, x in enumerate(post)]
    gains = learner_gains(_records(rows), pre=("pre", [f"q{i}" for i in range(4)]),
                          post=("post", [f"q{i}" for i in range(4)])).set_index("user")
    assert gains.loc["ada", "normalized_gain"] == pytest.approx((0.75 - 0.25) / 0.75)
    assert gains.loc["bob", "normalized_gain"] == pytest.approx(1.0)
    assert math.isnan(gains.loc["cem", "normalized_gain"])  # a perfect pre-test: undefined, not 0
    assert gains.loc["dan", "normalized_gain"] == 0.0
    summary = gain_summary(gains.reset_index())
    defined = [2 / 3, 1.0, 0.0]
    assert summary["learners"] == 4 and summary["at_ceiling"] == 1
    assert summary["mean_gain"] == pytest.approx(np.mean(defined))
    assert summary["sd_gain"] == pytest.approx(np.std(defined, ddof=1))
    assert summary["mean_pre"] == pytest.approx(np.mean([0.25, 0.5, 1.0, 0.0]))
    assert summary["class_gain"] == pytest.approx((0.6875 - 0.4375) / (1 - 0.4375))


def test_a_pre_test_answered_after_the_post_test_began_is_left_out():
    rows = [("ada", "post", "q0", "check", True, 1, 0), ("ada", "pre", "q0", "check", False, 1, 5)]
    gains = learner_gains(_records(rows), pre=("pre", ["q0"]), post=("post", ["q0"]))
    assert gains[["pre_status", "post_status", "post_score"]].values.tolist() == [["not taken", "complete", 1.0]]


def test_item_statistics_match_scipy_and_flag_what_they_should():
    from scipy.stats import pointbiserialr

    rng = np.random.default_rng(3)
    ability = rng.standard_normal(40)
    items = {"easy": 6.0, "hard": -6.0, "good1": 0.0, "good2": 0.3, "good3": -0.2, "inverted": 0.0}
    rows = []
    for u, theta in enumerate(ability):
        for name, shift in items.items():
            p = 1 / (1 + np.exp(-(2.5 * (-theta if name == "inverted" else theta) + shift)))
            rows.append({"user": f"u{u}", "notebook": "nb", "question": name, "checks": 1,
                         "first_try_right": bool(rng.random() < p)})
    outcomes = pd.DataFrame(rows)
    stats = item_statistics(outcomes).set_index("question")
    x = outcomes.pivot(index="user", columns="question", values="first_try_right").astype(float)
    for name in items:
        rest = (x.sum(axis=1) - x[name]) / (x.shape[1] - 1)
        assert stats.loc[name, "difficulty"] == pytest.approx(x[name].mean())
        if x[name].std() > 0:
            assert stats.loc[name, "discrimination"] == pytest.approx(pointbiserialr(x[name], rest).statistic)
    assert FLAG_EASY in stats.loc["easy", "flags"] and FLAG_HARD in stats.loc["hard", "flags"]
    assert stats.loc["inverted", "flags"] == FLAG_NEGATIVE and stats.loc["inverted", "discrimination"] < -0.2
    assert all(stats.loc[g, "flags"] == "" for g in ("good1", "good2", "good3"))
    assert stats["answered"].tolist() == [40] * 6


def test_items_answered_by_few_learners_get_no_discrimination_and_no_flag():
    outcomes = pd.DataFrame([{"user": u, "notebook": "nb", "question": q, "checks": 1, "first_try_right": r}
                             for u, answers in {"a": (1, 1), "b": (1, 0), "c": (0, 1)}.items()
                             for q, r in zip(("q1", "q2"), answers)])
    stats = item_statistics(outcomes)
    assert stats["discrimination"].isna().all() and (stats["flags"] == "").all()
    assert item_statistics(outcomes.iloc[:0]).empty


def test_objective_scores_lowest_first():
    outcomes = pd.DataFrame({"user": ["a", "b", "a", "b", "a"], "notebook": ["post"] * 4 + ["nb"],
                             "question": ["x", "x", "y", "y", "z"], "checks": [1, 1, 1, 0, 1],
                             "first_try_right": [True, True, False, False, False]})
    scores = objective_scores(outcomes, {("post", "x"): "01.4", ("post", "y"): "02.3"})
    assert scores.values.tolist() == [["02.3", 1, 1, 0, 0.0], ["01.4", 2, 2, 2, 1.0]]


# --- simulated classes: the report recovers what was simulated ---------------------------------------------------

@pytest.fixture(scope="module")
def bad_items():
    questions = notebook_questions()
    return [("05_data_preparation", questions["05_data_preparation"][1]),
            ("08_system_operation", questions["08_system_operation"][2])]


@pytest.mark.parametrize("effect", [0.0, 1.0])
def test_a_simulated_class_gain_difficulty_and_discrimination_are_recovered(effect, bad_items):
    sim = simulate_class(300, course_effect=effect, bad_items=bad_items, random_state=7)
    report = ClassReport(sim.records, [])
    expected = sim.expected_scores()
    true_pre, true_post = expected["pre"].mean(), expected["post"].mean()
    summary = report.gain_summary()
    assert summary["learners"] == 300
    assert summary["mean_pre"] == pytest.approx(true_pre, abs=0.03)
    assert summary["mean_post"] == pytest.approx(true_post, abs=0.03)
    assert summary["class_gain"] == pytest.approx((true_post - true_pre) / (1 - true_pre), abs=0.06)
    # The mean of individual gains is noisier (11 items a test) and pulled down by large losses from high starts.
    true_gains = (expected["post"] - expected["pre"]) / (1 - expected["pre"])
    assert summary["mean_gain"] == pytest.approx(true_gains.mean(), abs=0.12)
    if effect == 0:
        assert abs(summary["class_gain"]) < 0.06
    else:
        assert summary["class_gain"] > 0.3 and summary["median_gain"] > 0.25

    population = sim.population_statistics(random_state=1)
    items = report.item_table().merge(population, on=["notebook", "question"], suffixes=("", "_true"))
    assert len(items) == len(sim.items)
    assert (items["difficulty"] - items["difficulty_true"]).abs().mean() < 0.04
    both = items.dropna(subset=["discrimination", "discrimination_true"])
    assert len(both) >= len(items) - 2
    assert (both["discrimination"] - both["discrimination_true"]).abs().mean() < 0.07
    assert np.corrcoef(both["discrimination"], both["discrimination_true"])[0, 1] > 0.85
    # Every bad item is flagged; a good item flagged by chance is one that hardly discriminates in the population
    # (items almost everyone gets right are not judged: too few wrong answers to give the correlation a sign).
    negative = items[items["flags"].str.contains(FLAG_NEGATIVE)]
    flagged = set(zip(negative["notebook"], negative["question"]))
    assert set(bad_items) <= flagged
    chance = negative[[pair not in set(bad_items) for pair in zip(negative["notebook"], negative["question"])]]
    assert len(chance) <= 2 and (chance["discrimination_true"] < 0.15).all()


def test_the_report_tells_a_course_that_teaches_from_one_that_does_not():
    gains = [ClassReport(simulate_class(150, course_effect=e, random_state=s).records, []).gain_summary()["class_gain"]
             for e, s in ((0.0, 11), (1.0, 11))]
    assert gains[0] < 0.1 < 0.3 < gains[1]


# --- the class report ----------------------------------------------------------------------------------------------

@pytest.fixture
def tested_class(tmp_path):
    """Three learners' homes: ada and bob took both tests, eve (an odd name) only the pre-test."""
    from lifecycle_kit.course.assessment import POST_TEST, PRE_TEST, form_keys

    root = tmp_path / "home"

    def answer(user, form, rights, hour):
        for i, (key, right) in enumerate(zip(form_keys(form), rights)):
            record(form, key, event="check", status="correct" if right else "incorrect",
                   path=root / user / "progress.jsonl", user=user, time=f"2026-03-0{hour}T10:{i:02d}:00Z")

    answer("ada", PRE_TEST, [1] * 3 + [0] * 8, 1)
    answer("ada", POST_TEST, [1] * 9 + [0] * 2, 5)
    answer("bob", PRE_TEST, [1] * 11, 1)
    answer("bob", POST_TEST, [1] * 10 + [0], 5)
    answer("=cmd|' -C calc'!A0", PRE_TEST, [0] * 11, 2)  # a home folder's name: no slash
    return root


def test_the_class_report_shows_scores_gain_objectives_and_items(tested_class, tmp_path):
    report = build_class_report([tested_class])
    scores = report.learner_scores().set_index("learner")
    assert scores.loc["ada", "pre_score"] == pytest.approx(3 / 11)
    assert scores.loc["ada", "normalized_gain"] == pytest.approx((9 / 11 - 3 / 11) / (8 / 11))
    assert math.isnan(scores.loc["bob", "normalized_gain"])  # perfect pre-test
    assert scores.loc["=cmd|' -C calc'!A0", "post_status"] == "not taken"
    frame = report.to_frame()
    ada = frame[frame["learner"] == "ada"]
    assert (ada["pre_score"] == round(3 / 11, 3)).all() and (ada["normalized_gain"] == round(0.75, 3)).all()
    weakest = report.weakest_objectives()
    assert weakest["objective"].tolist()[:2] == ["11.5", "10.2"] and weakest["score"].tolist()[:2] == [0.0, 0.5]
    text = report.items_to_csv(tmp_path / "items.csv")
    assert text.splitlines()[0] == "notebook,question,answered,difficulty,discrimination,flags"
    assert (tmp_path / "items.csv").read_text() == text and len(text.splitlines()) == 1 + 22
    html = report.to_html()
    for heading in ("Pre-test, post-test and normalised gain", "Objectives with the lowest post-test scores",
                    "Item analysis", "Pre-test against post-test"):
        assert heading in html, heading
    assert html.count("<circle") == 2  # ada and bob took both tests
    assert "=cmd|&#39; -C calc&#39;!A0" in html and "=cmd|' -C" not in html


def test_the_item_csv_never_starts_a_cell_with_a_formula(tmp_path):
    import csv
    import io

    path = tmp_path / "=HYPERLINK(\"x\")" / "progress.jsonl"
    record("00_start_here", "=HYPERLINK(\"x\")", event="check", status="correct", path=path, user="ada")
    record("00_start_here", "trust_stage", event="check", status="correct", path=path, user="ada")
    report = build_class_report([tmp_path])
    text = report.items_to_csv()
    assert text == report.to_csv(table="items")
    # A question the course does not ask is listed as a problem, never an item; the learner's name is a cell.
    assert "HYPERLINK" not in text and len(text.splitlines()) == 2
    cells = [cell for name in report.tables() for row in csv.reader(io.StringIO(report.to_csv(table=name)))
             for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells and not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_the_cli_writes_the_items_csv_and_prints_the_gain(tested_class, tmp_path, capsys):
    from lifecycle_kit.cli import main

    out = tmp_path / "report"
    assert main(["class-report", str(tested_class), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "pre- and post-test: 2 learner(s), mean normalised gain 0.75" in printed
    assert "1 with a perfect pre-test left out" in printed and "class-report-items.csv" in printed
    assert (out / "class-report-items.csv").read_text() == build_class_report([tested_class]).items_to_csv()
    header = (out / "class-report.csv").read_text().splitlines()[0]
    assert header.endswith(",pre_score,post_score,normalized_gain")
