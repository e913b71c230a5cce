"""The capstone as an investigation: inference through scopes, the review of flagged records, written conclusions."""

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.platform import (
    Scope,
    agency_sources,
    inference_risk,
    label_conflicts,
    label_is_wrong,
    link_records,
    record_conflicts,
    review_sample,
    scope_except,
    score_review,
    standardise_all,
)
from lifecycle_kit.report import NO_CONCLUSIONS, LifecycleReport


@pytest.fixture(scope="module")
def platform():
    data = agency_sources(poison_rate=0.4, random_state=0)
    table = standardise_all(data.sources)
    truth = np.concatenate([data.truth[name] for name in data.sources])
    return data, table, truth, link_records(table, truth=truth)


def _proxy_frame(n=240, seed=0):
    rng = np.random.default_rng(seed)
    size = rng.normal(size=n)
    return pd.DataFrame({"size": size, "noise": rng.normal(size=n), "group": rng.choice(["a", "b"], size=n),
                         "kind": np.where(size > 0, "large", "small"), "weight": 3 * size + rng.normal(0, 0.1, n)})


# --- inference through scopes ---------------------------------------------------------------------------------


def test_a_proxy_column_leaks_the_hidden_field_and_noise_does_not():
    frame = _proxy_frame()
    risk = inference_risk(frame, {"open": scope_except(frame.columns, ["kind"]),
                                  "minimal": Scope(columns=["noise", "group"])}, hidden=["kind"]).set_index("role")
    assert risk.loc["open", "baseline"] == pytest.approx(frame["kind"].value_counts(normalize=True).max())
    assert risk.loc["open", "score"] > 0.9 and risk.loc["open", "gain"] > 0.35
    assert abs(risk.loc["minimal", "gain"]) < 0.15


def test_a_numeric_hidden_field_is_scored_by_r2_against_the_mean():
    frame = _proxy_frame()
    risk = inference_risk(frame, {"open": scope_except(frame.columns, ["weight"]),
                                  "blind": Scope(columns=["noise"])}, hidden="weight").set_index("role")
    assert (risk["measure"] == "R²").all() and (risk["baseline"] == 0).all()
    assert risk.loc["open", "score"] > 0.9 and risk.loc["blind", "score"] < 0.1


def test_a_role_that_reads_the_field_is_marked_and_row_limits_are_applied():
    frame = _proxy_frame()
    risk = inference_risk(frame, {"reader": Scope(columns=["kind", "size"]),
                                  "group a": Scope(columns=["size", "group"], rows={"group": ["a"]})},
                          hidden=["kind"]).set_index("role")
    assert risk.loc["reader", "access"] == "reads it" and np.isnan(risk.loc["reader", "gain"])
    assert risk.loc["group a", "rows"] == int((frame["group"] == "a").sum())


def test_too_few_rows_or_no_usable_column_scores_the_baseline():
    frame = _proxy_frame(n=15)
    risk = inference_risk(frame, {"any": Scope(columns=["size"])}, hidden=["kind"])
    assert risk["gain"].iloc[0] == 0 and risk["score"].iloc[0] == risk["baseline"].iloc[0]


def test_inference_is_seeded():
    frame = _proxy_frame()
    scopes = {"open": scope_except(frame.columns, ["kind"])}
    pd.testing.assert_frame_equal(inference_risk(frame, scopes, hidden=["kind"], random_state=3),
                                  inference_risk(frame, scopes, hidden=["kind"], random_state=3))


@pytest.mark.parametrize("call, message", [
    (lambda f: inference_risk(f, {"r": Scope(columns=["size"])}, hidden=["nope"]), "hidden field"),
    (lambda f: inference_risk(f, {"r": Scope(columns=["nope"])}, hidden=["kind"]), "unknown column"),
    (lambda f: inference_risk(f, {"r": ["size"]}, hidden=["kind"]), "must be a Scope"),
    (lambda f: inference_risk(f, {"r": Scope(columns=["size"])}, hidden=["kind"], folds=1), "folds"),
    (lambda f: scope_except(f.columns, ["nope"]), "barred column"),
])
def test_bad_input_is_a_lifecycle_kit_error(call, message):
    with pytest.raises(LifecycleKitError, match=message):
        call(_proxy_frame())


def test_on_the_platform_barring_the_label_does_not_hide_it(platform):
    _, table, _, _ = platform
    risk = inference_risk(table, {"open": scope_except(table.columns, ["individual_id", "species", "sex"]),
                                  "isotopes": Scope(columns=["study", "delta_15n", "delta_13c"])},
                          hidden=["species"]).set_index("role")
    assert risk.loc["open", "gain"] > 0.3 > risk.loc["isotopes", "gain"]


# --- human in the loop ----------------------------------------------------------------------------------------


def test_record_flags_add_up_to_the_per_source_conflicts(platform):
    _, table, _, linked = platform
    flags = record_conflicts(table, linked.clusters)
    per_source = label_conflicts(table, linked.clusters).set_index("source")["conflicts"]
    assert flags.groupby("source")["flagged"].sum().to_dict() == per_source.to_dict()
    assert {"record", "label", "others", "body_mass_g"} <= set(flags.columns)


def test_the_truth_of_a_label_is_the_field_record(platform):
    data, table, truth, _ = platform
    wrong = label_is_wrong(table, truth, data.original)
    poisoned = {f"{data.poisoned['source']}:{i}" for i in data.poisoned["rows"]}
    assert set(wrong[wrong].index) == poisoned


def test_flag_precision_is_measured_and_a_good_review_raises_it(platform):
    data, table, truth, linked = platform
    wrong = label_is_wrong(table, truth, data.original)
    sample = review_sample(record_conflicts(table, linked.clusters), size=12, random_state=0)
    assert len(sample) == 12 and sample["flagged"].all()
    perfect = score_review(sample, {r: "accept" if wrong[r] else "reject" for r in sample["record"]}, wrong)
    assert perfect["reviewed"] == 12 and perfect["skipped"] == 0
    assert perfect["flag precision"] == pytest.approx(wrong[sample["record"]].mean())
    assert perfect["review precision"] == 1.0 and perfect["errors kept"] == 1.0
    assert perfect["flag precision"] < 1.0  # the flags alone are not all true: the reason for the review


def test_an_unmarked_flag_is_skipped_not_accepted(platform):
    data, table, truth, linked = platform
    wrong = label_is_wrong(table, truth, data.original)
    sample = review_sample(record_conflicts(table, linked.clusters), size=12, random_state=0)
    nothing = score_review(sample, {}, wrong)
    assert nothing["reviewed"] == 0 and nothing["skipped"] == 12 and nothing["accepted"] == 0
    assert np.isnan(nothing["review precision"]) and np.isnan(nothing["flag precision (reviewed)"])
    assert set(nothing["decisions"]["decision"]) == {"skipped"}


def test_review_precision_is_computed_on_the_flags_actually_reviewed(platform):
    data, table, truth, linked = platform
    wrong = label_is_wrong(table, truth, data.original)
    sample = review_sample(record_conflicts(table, linked.clusters), size=12, random_state=0)
    records = list(sample["record"])
    true_error = next(r for r in records if wrong[r])
    clean = next(r for r in records if not wrong[r])
    # One true error accepted, one clean label rejected, ten skipped: a perfect review of two flags.
    partial = score_review(sample, {true_error: "accept", clean: "reject"}, wrong)
    assert (partial["reviewed"], partial["skipped"], partial["accepted"], partial["rejected"]) == (2, 10, 1, 1)
    assert partial["review precision"] == 1.0 and partial["errors kept"] == 1.0
    assert partial["flag precision (reviewed)"] == 0.5
    # Had the skipped flags counted as accepted, the precision would be that of the flags alone, not the review's.
    accepted_all = score_review(sample, {r: "accept" for r in records if r != clean} | {clean: "reject"}, wrong)
    assert accepted_all["review precision"] < partial["review precision"]


def test_a_review_that_rejects_everything_has_no_precision_and_keeps_no_error(platform):
    data, table, truth, linked = platform
    sample = review_sample(record_conflicts(table, linked.clusters), size=5, random_state=1)
    result = score_review(sample, {r: "reject" for r in sample["record"]}, label_is_wrong(table, truth, data.original))
    assert result["accepted"] == 0 and np.isnan(result["review precision"]) and result["errors kept"] == 0.0


def test_review_decisions_are_validated():
    sample = pd.DataFrame({"record": ["a:0", "a:1"], "flagged": [True, True]})
    wrong = {"a:0": True, "a:1": False}
    with pytest.raises(LifecycleKitError, match="not in the sample"):
        score_review(sample, {"b:9": "accept"}, wrong)
    with pytest.raises(LifecycleKitError, match="'accept' or 'reject'"):
        score_review(sample, {"a:0": "yes"}, wrong)
    with pytest.raises(LifecycleKitError, match="does not cover"):
        score_review(sample, {}, {"a:0": True})
    with pytest.raises(LifecycleKitError, match="record_conflicts"):
        review_sample(pd.DataFrame({"x": [1]}))


# --- learner-written conclusions --------------------------------------------------------------------------------


def test_conclusions_are_escaped_in_html_and_markdown():
    report = LifecycleReport("Platform")
    report.add("Data preparation", pd.DataFrame({"x": [1]}))
    report.conclude("# Not a heading\n<script>alert(1)</script> and *not bold* [no](link)\n\n- not a list\n"
                    "1. not numbered | not a table", author="Group <3>")
    html = report.to_html()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Group &lt;3&gt;" in html and html.index("Conclusions") > html.index("Data preparation")
    markdown = report.to_markdown()
    body = markdown.split("## Conclusions", 1)[1]
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "\\# Not a heading" in body and "\\*not bold\\*" in body and "\\[no\\](link)" in body
    assert "\\- not a list" in body and "1\\. not numbered \\| not a table" in body


def test_paragraphs_and_line_breaks_are_kept():
    report = LifecycleReport("Platform")
    report.conclude("First line\nsecond line\n\nSecond paragraph")
    assert "<p>First line<br>second line</p><p>Second paragraph</p>" in report.to_html()
    assert "First line  \nsecond line\n\nSecond paragraph" in report.to_markdown()


def test_empty_conclusions_say_so_and_no_conclusions_add_no_section():
    report = LifecycleReport("Platform")
    assert "Conclusions" not in report.to_html() and "Conclusions" not in report.to_markdown()
    report.conclude("   \n ")
    assert NO_CONCLUSIONS in report.to_html() and f"**{NO_CONCLUSIONS}**" in report.to_markdown()
    with pytest.raises(LifecycleKitError, match="must be text"):
        report.conclude(42)


def test_roles_with_equal_scopes_get_equal_results():
    frame = _proxy_frame()
    scope = scope_except(frame.columns, ["kind"])
    risk = inference_risk(frame, {"one": scope, "two": scope_except(frame.columns, ["kind"])}, hidden=["kind"])
    assert risk["score"].iloc[0] == risk["score"].iloc[1]
