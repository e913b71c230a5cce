"""What learners see (issue 11, section 5), checked without a browser; tests/browser/test_lab_layout.py measures it."""

import math

import pandas as pd
import pytest

from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion


def test_every_labelled_control_of_a_lab_shares_one_label_width_wide_enough_for_its_label():
    from lifecycle_kit.labs import DatasetExplorer
    from lifecycle_kit.labs.base import _text_px

    lab = DatasetExplorer(dataset="penguins")
    widths = {c.style.description_width for c in lab.controls.values()}
    assert len(widths) == 1
    width = int(widths.pop().removesuffix("px"))
    assert width >= _text_px("Preview rows")  # the label that was cut to "Preview r..."


def test_sliders_line_up_in_the_backdoor_lab():
    from lifecycle_kit.labs import BackdoorLab

    lab = BackdoorLab()
    sliders = [lab.controls["rate"], lab.controls["patch"]]
    assert len({s.style.description_width for s in sliders}) == 1
    assert lab.controls["target_label"].style.description_width == sliders[0].style.description_width


def test_dropdowns_are_wide_enough_for_their_longest_option():
    from lifecycle_kit.labs.base import _text_px, align_controls, dropdown

    controls = {"a": dropdown("Attack", ["short", "an option of some fifty characters, give or take"], "short")}
    align_controls(controls)
    label = int(controls["a"].style.description_width.removesuffix("px"))
    assert int(controls["a"].layout.width.removesuffix("px")) - label >= _text_px(controls["a"].options[1])


def test_serving_bug_options_are_short_and_the_summary_says_what_the_bug_does():
    from lifecycle_kit.drift.simulate import SERVING_BUGS
    from lifecycle_kit.labs import ServingBugLab

    lab = ServingBugLab()
    assert max(len(label) for label, _ in lab.controls["bug"].options) <= 30
    lab.controls["bug"].value = "unit_x1000"
    assert SERVING_BUGS["unit_x1000"] in lab.summary.value


def test_archive_lab_says_which_row_was_changed():
    from lifecycle_kit.labs import ArchiveLab
    from lifecycle_kit.labs.decommission_labs import changed_rows_sentence

    assert changed_rows_sentence([0]) == "Row 0 was changed."
    assert changed_rows_sentence([1, 2, 9]) == "Rows 1, 2 and 9 were changed."
    lab = ArchiveLab()
    lab.controls["tamper"].value = "one byte in a data row"
    lab.controls["row"].value = 0
    html = "".join(item for item in lab.render(lab.result) if isinstance(item, str))
    assert "Row 0 was changed." in html and "located:" not in html
    scores = [item for item in lab.render(lab.result) if isinstance(item, pd.DataFrame)][0]
    assert all(str(v).endswith("%") for v in scores["documented"])  # no 0.333333


def test_spec_lab_explains_that_its_rate_is_per_cell():
    from lifecycle_kit.labs import SpecLab

    lab = SpecLab()
    lab.controls["corruption"].value = "out-of-range numbers"
    lab.controls["rate"].value = 0.05
    k = len(lab.eligible_columns("out-of-range numbers"))
    share = lab.result.corrupted.mean()
    assert "per cell" in lab.controls["rate"].description or "cells" in lab.controls["rate"].description
    assert "The rate is per cell" in lab.summary.value and f"{1 - 0.95 ** k:.0%}" in lab.summary.value
    assert f"({share:.0%})" in lab.summary.value and share > 0.15  # many more rows than 5%


def test_measures_are_shown_with_the_standards_characteristic_and_a_note_on_the_ids():
    from lifecycle_kit.labs import QualityGateLab
    from lifecycle_kit.quality.measures import MEASURE_ID_NOTE, measure_label

    assert measure_label("Com-ML-1") == "Com-ML-1 value completeness (completeness)"
    lab = QualityGateLab()
    assert "(Com-ML-1, completeness)" in lab.controls["min_completeness"].description
    html = lab.render(lab.result)[0]
    assert "Acc-ML-4 label accuracy (estimated) (accuracy)" in html and "kit&#x27;s own labels" in html
    assert "kit's own labels" in MEASURE_ID_NOTE


def test_quality_report_tables_carry_the_note():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    ds = load("penguins")
    report = assess(ds.frame, target=None)
    assert "own labels" in report.to_markdown() and "own labels" in report._repr_html_()
    assert "characteristic" in report.to_markdown()


def test_conflict_rate_is_zero_with_a_note_when_a_source_has_no_conflict():
    from lifecycle_kit.platform import label_conflicts

    frame = pd.DataFrame({"source": ["a", "b", "c", "a", "b", "d"], "species": ["X", "X", "Y", "Z", "Z", "W"]})
    table = label_conflicts(frame, pd.Series([0, 0, 0, 1, 1, 2])).set_index("source")
    assert not table["conflict_rate"].isna().any()
    assert table.loc["d", "conflict_rate"] == 0 and "no record to compare" in table.loc["d", "note"]
    assert table.loc["a", "note"] == "no conflicts" and table.loc["c", "note"] == ""
    assert math.isclose(table.loc["c", "conflict_rate"], 1.0)


def test_lineage_and_datasheet_render_as_html_tables():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.provenance import Datasheet, LineageRecorder

    penguins = load("penguins")
    table = penguins.frame.assign(species=penguins.target)
    recorder = LineageRecorder(table, name="penguins (raw)", agent="archivist")
    recorder.apply("drop rows with missing measurements", lambda df: df.dropna().reset_index(drop=True))
    html = recorder.lineage._repr_html_()
    assert "<table" in html and "drop rows with missing measurements" in html and "|---|" not in html
    sheet = Datasheet.from_frame(table, name="Palmer penguins", target="species")
    assert "71%" in sheet._repr_html_() and "0.714" not in sheet._repr_html_()


def test_self_check_labels_options_without_repeating_a_key_equal_to_its_text():
    from lifecycle_kit.labs import SelfCheck

    box = SelfCheck(ChoiceQuestion("Which source?", options={"station_registry": "station_registry", "b": "field"},
                                   correct="station_registry", explanation="It disagrees with the others."))
    assert [label for label, _ in box.answer.options] == ["station_registry", "b) field"]
    box.set_answer("station_registry")
    assert box.check().correct and "It disagrees with the others." in box.feedback.value
    numeric = SelfCheck(NumericQuestion("Share?", answer=0.34, tolerance=0.005, explanation="Because."))
    numeric.set_answer("0,34")
    assert numeric.check().correct and "Because." in numeric.feedback.value


@pytest.mark.parametrize("name", ["PoisoningLab", "BackdoorLab", "QualityLab", "DatasetExplorer"])
def test_label_widths_are_equal_across_each_labs_sliders(name):
    import ipywidgets as widgets

    from lifecycle_kit import labs

    lab = getattr(labs, name)()
    sliders = [c for c in lab.controls.values()
               if isinstance(c, (widgets.FloatSlider, widgets.IntSlider, widgets.SelectionSlider))]
    assert len({(s.style.description_width, s.layout.width) for s in sliders}) == 1


def test_the_expert_panel_lets_the_learner_switch_off_the_bias_towards_qualification_weighting():
    from lifecycle_kit.experts import simulate_panel
    from lifecycle_kit.labs import ExpertPanelLab

    biased = simulate_panel(n_honest=5, n_adversarial=2, random_state=0)
    assert biased.qualification[:5].min() > biased.qualification[5:].max()
    fair = simulate_panel(n_honest=5, n_adversarial=2, dishonest_less_qualified=False, random_state=0)
    assert (fair.ratings.to_numpy() == biased.ratings.to_numpy()).all()  # same scores, only the weights differ
    lab = ExpertPanelLab()
    lab.controls["adversarial"].value = 2
    favoured = lab.result.errors["weighted"]
    lab.controls["less_qualified"].value = False
    assert lab.result.errors["weighted"] > favoured
    assert "less qualified" in lab.controls["less_qualified"].description
