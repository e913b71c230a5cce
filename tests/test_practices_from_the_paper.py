"""Practices of the paper the course did not teach before (issue #21, section 3), shown on data.

- stage 3: confidentiality beyond personal data, destruction by sensitivity class (lifecycle_kit.sensitivity);
- stage 4: timeliness for real-time systems, consistency for analytic ones (lifecycle_kit.acquisition);
- stage 5: experts of both the subject domain and AI (lifecycle_kit.experts.panel_composition_trial), and a test
  set labelled with an independent auxiliary network (lifecycle_kit.preparation.auxiliary_test_labels);
- the lifecycle report names and orders its sections by stage (lifecycle_kit.report).
"""

import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.acquisition import compare_feeds, feed_consistency, timeliness
from lifecycle_kit.experts import panel_composition_trial
from lifecycle_kit.sensitivity import check_sensitivity_plan, example_sensitivity_plan

# --- stage 3: sensitivity classes ----------------------------------------------------------------------------------

def test_derived_assets_inherit_the_highest_class_of_what_they_were_made_from():
    plan = [{"asset": "a", "sensitivity": "internal", "destruction": "clear"},
            {"asset": "b", "sensitivity": "secret", "destruction": "destroy"},
            {"asset": "ab", "derived_from": ["a", "b"], "destruction": "purge"},
            {"asset": "abc", "derived_from": ["ab"], "sensitivity": "open", "destruction": "destroy"}]
    table = check_sensitivity_plan(plan).table.set_index("asset")
    assert table.loc["ab", "sensitivity"] == "secret" and table.loc["ab", "inherited_from"] == "b"
    assert table.loc["abc", "sensitivity"] == "secret" and table.loc["abc", "inherited_from"] == "ab"
    assert not table.loc["ab", "ok"] and table.loc["abc", "ok"]  # purge is weaker than destroy; destroy is enough
    assert table.loc["a", "inherited_from"] == ""  # its own class: nothing inherited


@pytest.mark.parametrize("planned, ok", [("delete", False), ("overwrite", False), ("clear", False),
                                         ("crypto-erase", True), ("purge", True), ("destroy", True)])
def test_a_confidential_asset_needs_at_least_a_purge(planned, ok):
    plan = [{"asset": "trips", "sensitivity": "confidential", "destruction": planned}]
    assert check_sensitivity_plan(plan).too_weak == ([] if ok else ["trips"])


def test_the_example_plan_finds_the_assets_made_from_confidential_data():
    checked = check_sensitivity_plan(example_sensitivity_plan())
    # No asset of the plan holds personal data; the trips are confidential all the same, and so is what they made.
    assert checked.too_weak == ["nightly backup of trips", "training table", "demand model", "serving logs"]
    table = checked.table.set_index("asset")
    assert table.loc["weather feed", "sensitivity"] == "open" and table.loc["weather feed", "ok"]
    assert (table.loc[checked.too_weak, "sensitivity"] == "confidential").all()


def test_a_stricter_policy_changes_the_verdict():
    plan = [{"asset": "logs", "sensitivity": "internal", "destruction": "clear"}]
    assert check_sensitivity_plan(plan).too_weak == []
    assert check_sensitivity_plan(plan, policy={"internal": "purge"}).too_weak == ["logs"]


@pytest.mark.parametrize("plan, message", [
    ([{"asset": "a", "sensitivity": "top secret", "destruction": "destroy"}], "a: sensitivity must be one of"),
    ([{"asset": "a", "destruction": "shred"}], "a: destruction must be one of"),
    ([{"asset": "a", "derived_from": ["b"], "destruction": "clear"}], "derived from 'b', which is not in the plan"),
    ([{"asset": "a", "destruction": "clear"}, {"asset": "a", "destruction": "clear"}], "appears twice"),
    ([{"asset": "a", "derived_from": ["b"], "destruction": "clear"},
      {"asset": "b", "derived_from": ["a"], "destruction": "clear"}], "from itself: a -> b -> a"),
    ([{"destruction": "clear"}], "plan entry 0 has no 'asset' name"),
    ("not a plan", "plan must be a list"),
])
def test_a_broken_plan_is_refused_with_a_message_naming_the_asset(plan, message):
    with pytest.raises(LifecycleKitError, match=message):
        check_sensitivity_plan(plan)


# --- stage 4: timeliness and consistency ---------------------------------------------------------------------------

def test_timeliness_counts_records_arrived_by_the_deadline_inclusive():
    start = pd.to_datetime(["2011-01-01 00:00"] * 4)
    arrived = start + pd.to_timedelta([60, 75, 76, 200], unit="min")  # the period ends at +60, the deadline at +75
    assert timeliness(start, arrived, deadline_minutes=15) == 0.5
    assert timeliness(start, arrived, deadline_minutes=140) == 1.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(period_start=[], available_at=[], deadline_minutes=15), "no records"),
    (dict(period_start=["2011-01-01"], available_at=[], deadline_minutes=15), "same length"),
    (dict(period_start=["2011-01-01"], available_at=["2011-01-01"], deadline_minutes=-1), "deadline_minutes"),
])
def test_timeliness_refuses_bad_input(kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        timeliness(**kwargs)


def test_consistency_is_the_share_of_records_whose_parts_add_up():
    feed = pd.DataFrame({"casual": [1, 2, 3, 4], "registered": [5, 5, 5, 5], "total": [6, 7, 0, 9]})
    assert feed_consistency(feed) == 0.75
    with pytest.raises(LifecycleKitError, match="no column"):
        feed_consistency(feed.drop(columns="total"))


@pytest.fixture(scope="module")
def feeds():
    return compare_feeds()


def test_each_system_takes_the_feed_its_purpose_puts_first(feeds):
    table = feeds.table
    assert table.loc["nightly", "timeliness"] == 0 and table.loc["nightly", "consistency"] == 1
    assert table.loc["live", "timeliness"] > 0.9 and table.loc["live", "consistency"] < 0.9
    # The data shows the cost of the wrong choice, not only the weights.
    assert table.loc["nightly", "forecast_mae"] > 1.5 * table.loc["live", "forecast_mae"]
    assert table.loc["live", "monthly_error"] > 0.02 and table.loc["nightly", "monthly_error"] == 0
    assert (feeds.best_for("real-time"), feeds.best_for("analytic")) == ("live", "nightly")


def test_the_feeds_respond_to_their_parameters():
    honest = compare_feeds(preliminary_share=0.0).table
    assert honest.loc["live", "consistency"] == 1 and honest.loc["live", "monthly_error"] == 0
    slow = compare_feeds(deadline_minutes=24 * 60).table
    assert slow.loc["live", "timeliness"] == 1 and slow.loc["nightly", "timeliness"] > 0.5
    late = compare_feeds(late_share=0.5).table
    assert late.loc["live", "timeliness"] < 0.6


def test_a_system_of_no_known_kind_is_refused(feeds):
    with pytest.raises(LifecycleKitError, match="real-time, analytic"):
        feeds.ranking("batch")


# --- stage 5: who sits on the panel; an independent auxiliary network ---------------------------------------------

def test_a_panel_from_one_field_agrees_most_and_errs_on_the_other_field():
    trial = panel_composition_trial(random_state=0)
    domain, ai = trial.loc["domain experts only"], trial.loc["AI experts only"]
    mixed, by_field = trial.loc["both, every score averaged"], trial.loc["both, each on their own field"]
    assert domain["kendalls_w"] > mixed["kendalls_w"] and ai["kendalls_w"] > mixed["kendalls_w"]
    assert domain["error_ai"] > 3 * domain["error_domain"] and ai["error_domain"] > 3 * ai["error_ai"]
    assert by_field["error_all"] < min(domain["error_all"], ai["error_all"], mixed["error_all"])


def test_without_a_blind_spot_the_composition_no_longer_matters():
    trial = panel_composition_trial(blind_spot=0.0, random_state=0)
    assert trial["error_all"].max() - trial["error_all"].min() < 0.15


@pytest.mark.parametrize("kwargs, message", [(dict(n_experts=5), "even"), (dict(n_experts=1), "n_experts"),
                                             (dict(blind_spot=-1), "blind_spot"), (dict(runs=0), "runs")])
def test_panel_composition_refuses_bad_input(kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        panel_composition_trial(**kwargs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_training_labeller_flatters_the_model_and_an_independent_network_does_not(seed):
    from lifecycle_kit.preparation import auxiliary_test_labels

    scores = auxiliary_test_labels(random_state=seed).scores
    estimate = scores["estimated_accuracy"]
    assert estimate["the training set's labeller"] > estimate["truth"] > estimate["independent auxiliary network"]
    reviewed = scores.loc["auxiliary network, disagreements reviewed"]
    assert 0 < reviewed["reviewed"] < 0.6 and reviewed["label_error"] < scores.loc["independent auxiliary network",
                                                                                   "label_error"]
    if seed == 0:  # the notebook's setting: the review brings the estimate closest to the truth
        gaps = (estimate - estimate["truth"]).abs().drop("truth")
        assert gaps.idxmin() == "auxiliary network, disagreements reviewed"


def test_auxiliary_labels_refuse_a_pool_larger_than_the_data():
    from lifecycle_kit.preparation import auxiliary_test_labels

    with pytest.raises(LifecycleKitError, match="must be at most"):
        auxiliary_test_labels(pool_size=1300)


# --- the lifecycle report: stages numbered, named in the reader's language, in order -----------------------------

def test_report_sections_are_numbered_stages_in_the_readers_language():
    from lifecycle_kit.i18n import language
    from lifecycle_kit.report import LifecycleReport

    report = LifecycleReport("r")
    report.add(6, pd.DataFrame({"a": [1]}), title="what the model learned")
    report.add("Building a model", pd.DataFrame({"a": [1]}))
    report.add("notes", "free text")
    markdown = report.to_markdown()
    assert "## 6. Building a model — what the model learned" in markdown
    assert markdown.count("## 6. Building a model") == 2 and "## notes" in markdown
    with language("ru"):
        russian = report.to_markdown()
    assert "## 6. Model building" not in russian and "## 6. Building a model" not in russian
    assert "## 6. " in russian


def test_the_capstone_report_follows_the_life_cycle_order():
    import re

    import nbformat

    from tests.notebook_runner import NOTEBOOKS

    for path in (NOTEBOOKS / "11_capstone_multi_source.ipynb", NOTEBOOKS / "ru" / "11_capstone_multi_source.ipynb"):
        code = next(c.source for c in nbformat.read(path, as_version=4).cells
                    if c.cell_type == "code" and "LifecycleReport(" in c.source)
        stages = [int(n) for n in re.findall(r"report\.add\((\d+),", code)]
        assert stages and stages == sorted(stages), f"{path.name}: report sections out of life-cycle order {stages}"
        assert "Model building" not in code
