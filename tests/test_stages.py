import re
from pathlib import Path

import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.course.stages import course_map_markdown, get_stage, list_stages, stages_frame

ROOT = Path(__file__).resolve().parents[1]

ISO_8183_STAGES = [
    "Idea conception", "Business requirements", "Data planning", "Data acquisition", "Data preparation",
    "Building a model", "System deployment", "System operation", "Data decommissioning", "System decommissioning",
]


def test_ten_stages_in_the_order_of_iso_8183_then_the_capstone():
    stages = list_stages()
    assert [s.name for s in stages[:10]] == ISO_8183_STAGES
    assert [s.number for s in stages] == list(range(1, 12))
    assert stages[-1].is_capstone and len(list_stages(include_capstone=False)) == 10


@pytest.mark.parametrize("stage", list_stages(), ids=lambda s: s.key)
def test_every_stage_is_complete(stage):
    assert stage.summary and stage.practice and stage.risks and stage.threats and stage.standards
    assert "ISO/IEC 8183:2023" in stage.iso_reference
    assert "GOST R 70889-2023" in stage.gost_reference
    assert re.fullmatch(r"\d\d_[a-z_]+\.ipynb", stage.notebook)
    assert stage.notebook.startswith(f"{stage.number:02d}_")
    assert not re.search(r"\d+(\.\d+)?\s*%|0\.\d\d", stage.you_will_see), "no typed-in figures on screen"


@pytest.mark.parametrize("query,number", [(4, 4), ("4", 4), ("acquisition", 4), ("Data acquisition", 4),
                                          ("CAPSTONE", 11), (" 10 ", 10)])
def test_get_stage_by_number_key_or_name(query, number):
    assert get_stage(query).number == number


@pytest.mark.parametrize("bad", [0, 12, "nope", None, True, 4.0])
def test_unknown_stage_lists_valid_keys(bad):
    with pytest.raises(LifecycleKitError, match="use a number 1-11 or one of: conception"):
        get_stage(bad)


def test_stages_frame_has_one_row_per_stage():
    frame = stages_frame()
    assert len(frame) == 11 and frame["notebook"].is_unique


def test_readme_course_map_is_generated_from_the_stage_table():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- course-map:start -->")[1].split("<!-- course-map:end -->")[0].strip()
    assert block == course_map_markdown(), "regenerate the README course map from lifecycle_kit.course.stages"


def test_every_stage_has_its_notebook_and_self_checks():
    from lifecycle_kit.course.selfchecks import for_notebook

    for stage in list_stages():
        assert (ROOT / "notebooks" / stage.notebook).is_file(), f"{stage.notebook} is missing"
        assert len(for_notebook(stage.notebook)) >= 2
