"""Self-checks of notebooks 00-05: right answers pass, plausible wrong ones fail, and every claim a
question's explanation makes about a lab holds on the data."""

import math

import pytest

from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.selfchecks import for_notebook

EARLY = ["00_start_here", "01_conception", "02_business_requirements", "03_data_planning", "04_data_acquisition",
         "05_data_preparation"]


def _value(distractor):
    return float(distractor() if callable(distractor) else distractor)


def _numeric(notebook):
    return [(key, q) for key, q in for_notebook(notebook).items() if isinstance(q, NumericQuestion)]


@pytest.mark.parametrize("notebook", EARLY)
def test_numeric_questions_reject_their_distractors_percentages_and_complements(notebook):
    for key, q in _numeric(notebook):
        assert q.distractors, f"{notebook}:{key} has no distractors"
        assert q.check(q.expected).correct
        wrong = {label: _value(d) for label, d in q.distractors.items()}
        if q.expected != 0:
            wrong["percentage form"] = q.expected * 100
        if 0 <= q.expected <= 1:
            wrong["complement"] = 1 - q.expected
        for label, value in wrong.items():
            assert abs(value - q.expected) > q.tolerance, f"{notebook}:{key}: {label} is within the tolerance"
            assert not q.check(value).correct, f"{notebook}:{key}: {label} ({value}) judged right"


@pytest.mark.parametrize("notebook", EARLY)
def test_choice_questions_give_a_hint_for_every_wrong_option(notebook):
    for key, q in for_notebook(notebook).items():
        if isinstance(q, ChoiceQuestion) and not q.multiple:
            for option in set(q.options) - q.correct:
                assert option in q.hints, f"{notebook}:{key}: option {option!r} has no hint"


@pytest.mark.parametrize("notebook", EARLY)
def test_early_self_checks_avoid_overclaims(notebook):
    for key, q in for_notebook(notebook).items():
        hints = getattr(q, "hints", {})
        hints = hints.values() if isinstance(hints, dict) else [text for _, text in hints]
        text = " ".join([q.prompt, q.explanation, *map(str, hints)])
        for phrase in ("is a leak", "identical", "safety-critical", "should never"):
            assert phrase not in text, f"{notebook}:{key} says {phrase!r}"


def test_start_here_questions_right_and_wrong():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.profiling import overview

    qs = for_notebook("00_start_here")
    # The premise of isna_blind_spot, on the data: adult has no NaN but many '?', penguins has NaN.
    adult, penguins = overview(load("adult")), overview(load("penguins"))
    assert adult.missing_cells == 0 < adult.disguised_missing_cells and penguins.missing_cells > 0
    assert qs["isna_blind_spot"].check("adult").correct
    assert "NaN" in qs["isna_blind_spot"].check("penguins").hint
    assert qs["who_says_what"].check("paper").correct
    assert "public safety" in qs["who_says_what"].check("iso8183").hint
    assert qs["free_licence"].check(["b", "d"]).correct
    assert "attribution" in qs["free_licence"].check(["a", "b", "d"]).hint
    assert qs["trust_stage"].check("1").correct and qs["trust_stage"].check("4").hint
    leaky = qs["leaky_columns"]
    assert leaky.check(["registered", "casual"]).correct
    assert "still missing" in leaky.check(["casual"]).hint
    assert "ordinary features" in leaky.check(["casual", "registered", "temp"]).hint
    assert "not columns" in leaky.check(["nope"]).hint
    for repeated in (["casual", "casual", "registered"], ["registered", "casual", "registered"]):
        feedback = leaky.check(repeated)  # the right set, but a list that names a column twice is not the answer
        assert feedback.status == "incorrect" and "more than once" in feedback.hint


def test_conception_record_id_alone_beats_the_real_measurements():
    from lifecycle_kit.labs.conception_labs import RelevanceLab

    lab = RelevanceLab()
    real = [c for c in lab.frame.columns if c not in ("noise", "record_id")]
    assert len(real) == 30
    assert lab._cv_accuracy(["record_id"]) > lab._cv_accuracy(real) > lab._cv_accuracy(["noise"])
    q = for_notebook("01_conception")["predict_leak_alone"]
    assert q.check("higher").correct and q.check("chance").hint


def test_tight_ranges_flag_well_above_ten_percent_of_clean_rows():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.trials import SpecExperiment

    adult = load("adult")
    train = adult.meta["source_file"] == "adult.data"
    experiment = SpecExperiment(adult.frame[train], adult.frame[~train].sample(2000, random_state=0))
    assert experiment.run(ranges="tight: 5%-95% of the reference").false_alarm_rate > 0.2
    q = for_notebook("02_business_requirements")["predict_tight_ranges"]
    assert q.check("more").correct and not q.check("ten").correct


def test_edit_spec_solution_is_graded_correct():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import Rule, infer_spec

    adult = load("adult")
    reference = adult.frame[adult.meta["source_file"] == "adult.data"]
    q = for_notebook("02_business_requirements")["edit_spec"]
    namespace = {"infer_spec": infer_spec, "reference": reference, "Rule": Rule}
    exec(q.solution_text.strip("`"), namespace)
    assert q.check(namespace["my_spec"]).correct
    assert "Rule('capital_loss'" in q.check(infer_spec(reference)).hint or "age" in q.check(infer_spec(reference)).hint


def test_collapse_median_sigma_falls_further_than_the_mean_variance():
    from lifecycle_kit.synthetic import collapse

    frame = collapse(generations=100, sample_size=100, runs=400, random_state=0).to_frame().set_index("generation")
    sigma, variance = frame.loc[100, "sigma_median"], frame.loc[100, "variance_mean"]
    # If every run had narrowed like the median, the mean variance would be near sigma**2; it is far above.
    assert sigma < 0.75 and variance > sigma and variance > 1.5 * sigma ** 2


def test_targeted_flips_hide_behind_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment

    cancer = load("breast_cancer")
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    random, targeted = experiment.run("random", 0.4), experiment.run("targeted", 0.4)
    malignant = 0  # scikit-learn's breast-cancer coding: 0 malignant, 1 benign
    assert targeted.accuracy > random.accuracy
    assert targeted.recall[malignant] < random.recall[malignant] - 0.2


def test_backdoor_question_is_separable_from_the_clean_accuracy():
    q = for_notebook("04_data_acquisition")["backdoor_success"]
    clean = _value(q.distractors["the clean test accuracy shown next to it"])
    assert 0.5 < q.expected < clean - 0.1
    assert not q.check(clean).correct and not q.check(0.994).correct
    assert q.check(round(q.expected, 3)).correct


def test_expert_questions_match_the_lab():
    from lifecycle_kit.labs import ExpertPanelLab

    lab = ExpertPanelLab()
    lab.controls["adversarial"].value = 1
    favoured = lab.result.errors
    lab.controls["less_qualified"].value = False
    neutral = lab.result.errors
    assert neutral["weighted"] > favoured["weighted"]
    assert all(neutral[m] == favoured[m] for m in ("mean", "median", "trimmed", "agreement"))
    qs = for_notebook("05_data_preparation")
    assert qs["predict_qualification"].check("rises").correct
    assert qs["robust_aggregate"].check(["median", "trimmed", "agreement"]).correct
    assert "Dishonest experts" in qs["robust_aggregate"].check(["median", "weighted"]).hint


def test_missing_values_do_not_move_accuracy_but_fail_completeness():
    from lifecycle_kit.labs import QualityLab

    lab = QualityLab(dataset="penguins")
    lab.controls["missing"].value = 0.2
    r = lab.result
    assert math.isclose(r.clean_accuracy, r.damaged_accuracy, abs_tol=0.02)
    summary = r.report.summary().set_index("measure_id")
    assert not summary.loc["Com-ML-1", "passed"]


def test_false_flags_are_computed_from_recall_and_precision():
    q = for_notebook("05_data_preparation")["false_flags"]
    from lifecycle_kit.course.selfchecks.data_preparation import _cleaning

    trial = _cleaning()
    assert q.expected == round(trial.flagged * (1 - trial.precision)) > 0
    assert q.check(q.expected).correct and not q.check(trial.flagged).correct
