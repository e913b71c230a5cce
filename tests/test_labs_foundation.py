import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.stages import list_stages
from lifecycle_kit.datasets import list_datasets, load
from lifecycle_kit.i18n import Message
from lifecycle_kit.labs import DatasetExplorer, LifecycleMap, SelfCheck


def test_lifecycle_map_every_stage_selectable():
    lab = LifecycleMap()
    control = lab.controls["stage"]
    assert [value for _, value in control.options] == [s.number for s in list_stages()]
    for stage in list_stages():
        control.value = stage.number
        assert lab.result["stage"] == stage
        assert lab.result["notebook"] == stage.notebook
        assert lab.result["risks"] == list(stage.risks)
        assert stage.iso_reference in lab.result["references"]
        assert "lk-map-selected" in lab.result["map_svg"] or stage.is_capstone
        assert stage.notebook in lab.summary.value


def test_lifecycle_map_moved_twice_and_back_is_still_right():
    lab = LifecycleMap(stage=2)
    first = lab.summary.value
    lab.controls["stage"].value = 7
    lab.controls["stage"].value = 3
    assert lab.result["stage"].number == 3
    lab.controls["stage"].value = 2
    assert lab.summary.value == first and lab.result["stage"].number == 2


def test_lifecycle_map_highlights_exactly_the_selected_stage():
    lab = LifecycleMap(stage=5)
    svg = lab.result["map_svg"]
    assert svg.count("lk-map-selected") == 1
    assert svg.index("lk-map-selected") < svg.index(">5<")


@pytest.mark.parametrize("name", list(list_datasets()["name"]))
def test_dataset_explorer_every_dataset(name):
    lab = DatasetExplorer(dataset="iris")
    lab.controls["dataset"].value = name
    ds = load(name)
    result = lab.result
    assert result.name == name
    assert result.rows == len(ds.frame) and result.columns == ds.frame.shape[1]
    assert list(result.profile["column"]) == [*map(str, ds.frame.columns), ds.target.name]
    assert result.missing_cells == int(ds.frame.isna().sum().sum() + ds.target.isna().sum())
    # The count as the kit writes an English "{n:,}" (the language decides how thousands are grouped).
    assert f"{Message('{n:,}', n=result.rows)} rows" in lab.summary.value


def test_dataset_explorer_preview_rows_across_range():
    lab = DatasetExplorer(dataset="penguins")
    slider = lab.controls["preview_rows"]
    for n in range(slider.min, slider.max + 1):
        slider.value = n
        assert len(lab.result.preview) == n


def test_dataset_explorer_counts_adult_question_marks_as_disguised_missing():
    lab = DatasetExplorer(dataset="adult")
    profile = lab.result.profile.set_index("column")
    frame = load("adult").frame
    for column in ("workclass", "occupation", "native_country"):
        assert profile.loc[column, "missing"] == 0
        assert profile.loc[column, "disguised_missing"] == int((frame[column] == "?").sum()) > 0
    assert lab.result.duplicate_rows > 0


def test_dataset_explorer_switching_back_gives_the_same_result():
    lab = DatasetExplorer(dataset="adult")
    first = lab.result
    lab.controls["dataset"].value = "wine"
    lab.controls["dataset"].value = "digits"
    lab.controls["dataset"].value = "adult"
    assert lab.result.rows == first.rows
    assert lab.result.profile.equals(first.profile)


def test_lab_shows_core_errors_instead_of_raising():
    class Failing(LifecycleMap):
        def compute(self, stage):
            raise LifecycleKitError("threshold must be in [0, 1]; got 2")

    lab = Failing()
    assert lab.result is None and "threshold must be" in lab.summary.value


def test_self_check_choice_numeric_and_multiple():
    single = SelfCheck(ChoiceQuestion("?", options={"a": "A", "b": "B"}, correct="a", hints={"b": "not B"}))
    assert single.check().status == "unanswered"
    single.set_answer("b")
    assert single.check().hint == "not B" and "not B" in single.feedback.value
    single.set_answer("a")
    assert single.check().correct
    assert single.reveal().answer == "a) A" and "Solution" in single.feedback.value

    numeric = SelfCheck(NumericQuestion("?", answer=12, tolerance=0))
    for typed, status in [("", "unanswered"), ("11", "incorrect"), ("12", "correct"), ("twelve", "invalid")]:
        numeric.set_answer(typed)
        assert numeric.check().status == status

    multiple = SelfCheck(ChoiceQuestion("?", options={"a": "A", "b": "B", "c": "C"}, correct={"a", "c"}))
    multiple.set_answer(["a"])
    assert multiple.check().status == "partial"
    multiple.set_answer(["a", "c"])
    assert multiple.check().correct


def test_self_check_buttons_call_check_and_reveal():
    box = SelfCheck(ChoiceQuestion("?", options={"a": "A", "b": "B"}, correct="a"))
    box.set_answer("a")
    box.check_button.click()
    assert box.result.correct
    box.solution_button.click()
    assert box.result.answer == "a) A"


def test_self_check_refuses_code_questions():
    with pytest.raises(LifecycleKitError, match="answered in code"):
        SelfCheck(CheckQuestion("?", checker=lambda a: (True, ""), solution_text=""))
