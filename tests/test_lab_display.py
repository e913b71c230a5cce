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


def test_a_float_sliders_value_reads_and_is_typed_with_the_labs_decimal_comma():
    # ipywidgets writes a FloatSlider's readout in the browser, with a point: the lab shows its own, in its language.
    from lifecycle_kit.labs import QualityLab
    from lifecycle_kit.labs.base import with_readout

    lab = QualityLab(lang="ru")
    slider = lab.controls["missing"]
    readout = slider._lk_readout.box
    assert slider.readout is False and readout.value == "0,00"
    slider.value = 0.25
    assert readout.value == "0,25" and lab.result is not None
    readout.value = "0,3"  # typed with a comma: read, and the slider (and the lab) follow
    assert slider.value == pytest.approx(0.3) and readout.value == "0,30"
    readout.value = "0.15"  # a point reads too
    assert slider.value == pytest.approx(0.15)
    readout.value = "7"  # out of range: the nearest end
    assert slider.value == pytest.approx(slider.max) and readout.value == "0,50"
    readout.value = "0,123"  # between steps: the nearest step
    assert slider.value == pytest.approx(0.1)
    readout.value = "много"  # not a number: put back
    assert slider.value == pytest.approx(0.1) and readout.value == "0,10"
    row = with_readout(slider)
    assert row.children == (slider, readout) and "lk-slider-row" in row._dom_classes
    english = QualityLab(lang="en").controls["missing"]._lk_readout.box
    assert english.value == "0.00"


def test_a_labs_table_shows_numbers_with_the_decimal_comma_and_yes_no():
    from lifecycle_kit.i18n import language
    from lifecycle_kit.labs.base import _displayable

    frame = pd.DataFrame({"value": [0.25, 12345.6], "passed": [True, False]})
    with language("ru"):
        shown = _displayable(frame).data
    assert "0,25" in shown and "12\xa0346" in shown and "да" in shown and "нет" in shown and "0.25" not in shown


def test_self_check_options_are_lettered_in_the_learners_alphabet_never_by_key():
    from lifecycle_kit.labs import SelfCheck

    question = ChoiceQuestion("?", options={"few_wide": "A", "many_narrow": "B", "c": "Z"}, correct="c")
    assert [label for label, _ in SelfCheck(question, lang="ru").answer.options] == ["а) A", "б) B", "в) Z"]
    assert [label for label, _ in SelfCheck(question, lang="en").answer.options] == ["a) A", "b) B", "c) Z"]
    assert question.solution(lang="ru").answer == "в) Z"
    assert "б) B" in question.check("many_narrow", lang="ru").message


def test_buttons_are_as_wide_as_their_label():
    from lifecycle_kit.labs import MonitoringLab, SelfCheck

    question = ChoiceQuestion("?", options={"a": "A", "b": "B"}, correct="a")
    box = SelfCheck(question, lang="ru")
    lab = MonitoringLab(lang="ru")
    for button in (box.check_button, box.solution_button, lab.retrain_button, lab.clear_button):
        assert button.layout.width == "auto" and button.layout.min_width == "148px", button.description
    assert lab.retrain_button.description.startswith("Дообучить")


def test_a_pivot_tables_headers_are_said_level_by_level():
    # A pivot's columns are tuples ("gain", "sex"); shown as a Python tuple, its English names would stay.
    import lifecycle_kit.platform.inference  # noqa: F401  (registers the columns' names)
    from lifecycle_kit.display import Table
    from lifecycle_kit.i18n import language

    frame = pd.DataFrame({"role": ["a", "a"], "design": ["x", "y"], "hidden": ["sex", "sex"], "gain": [0.1, 0.2]})
    pivot = frame.pivot_table(index=["role", "design"], columns="hidden", values=["gain"], sort=False)
    with language("ru"):
        headers = Table(pivot, digits=2).to_frame().columns.tolist()
    assert headers[:2] == ["роль", "схема доступа"] and headers[2].endswith(": sex") and "gain" not in headers[2]
    assert not any("(" in h for h in headers)
