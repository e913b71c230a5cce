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


# --- comprehensive safety: which of the paper's three parts each practice serves ---------------------------------

@pytest.mark.parametrize("stage", list_stages(), ids=lambda s: s.key)
def test_every_practice_names_the_parts_of_safety_it_serves(stage):
    from lifecycle_kit.course.stages import SAFETY

    assert len(stage.safety) == len(stage.practice)
    assert all(parts and set(parts) <= set(SAFETY) for parts in stage.safety)


def test_a_stage_whose_safety_does_not_line_up_with_its_practices_is_refused():
    from lifecycle_kit.course.stages import Stage

    with pytest.raises(LifecycleKitError, match="one safety tuple per practice"):
        Stage(number=1, key="x", name="x", summary="x", practice=("a", "b"), safety=(("technical",),))
    with pytest.raises(LifecycleKitError, match="one or more of technical, functional, system"):
        Stage(number=1, key="x", name="x", summary="x", practice=("a",), safety=(("legal",),))


_PARTS = {"en": {"technical": r"\*technical\*", "functional": r"\*functional\*", "system": r"\*system\*"},
          "ru": {"technical": r"\*техническ", "functional": r"\*функциональн", "system": r"\*системн"}}
_LABEL = {"en": "**Which safety it serves.**", "ru": "**Какую безопасность это обеспечивает.**"}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("stage", list_stages(include_capstone=False), ids=lambda s: s.key)
def test_where_we_are_says_which_safety_each_practice_serves(stage, lang):
    import nbformat

    folder = ROOT / "notebooks" / ("ru" if lang == "ru" else "")
    nb = nbformat.read(folder / stage.notebook, as_version=4)
    where = next(c.source for c in nb.cells if c.cell_type == "markdown"
                 and c.source.startswith("## Where we are" if lang == "en" else "## Где мы сейчас"))
    assert _LABEL[lang] in where, f"{stage.notebook} ({lang}): the part {_LABEL[lang]} is missing"
    paragraph = where.split(_LABEL[lang], 1)[1].split("\n\n**", 1)[0]
    named = {part for part, pattern in _PARTS[lang].items() if re.search(pattern, paragraph)}
    assert named == set(stage.safety_served), (f"{stage.notebook} ({lang}) names {sorted(named)}; the stage's "
                                               f"practices serve {list(stage.safety_served)} (lifecycle_kit.course.stages)")


def test_the_lifecycle_map_shows_the_part_of_safety_beside_each_practice():
    from lifecycle_kit.labs import LifecycleMap

    lab = LifecycleMap(stage=7)
    assert lab.result["safety"] == dict(zip(get_stage(7).practice, get_stage(7).safety))
    details = lab.result["details_html"]
    assert details.count("— technical") >= 2 and "functional, technical" in details
    assert "System engineering approaches to securing the safety" in details


def test_the_safety_table_counts_the_practices_and_speaks_russian():
    from lifecycle_kit.course.stages import safety_table

    table = safety_table(lang="en")
    assert table["technical"].sum() == sum("technical" in p for s in list_stages(include_capstone=False)
                                           for p in s.safety)
    russian = safety_table(lang="ru")
    assert list(russian.columns) == ["стадия", "техническая", "функциональная", "системная"]


# --- session lengths: one source of truth (Stage.minutes), held to in the notebooks and both guides -------------

def _notebook_minutes(path, lang):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    pattern = r"\*\*Expected time\.?\*\*\s*about (\d+) minutes" if lang == "en" else r"\*\*Время\.?\*\*\s*Около (\d+) минут"
    found = re.findall(pattern, text)
    assert len(found) == 1, f"{path}: one expected time in the Orientation, found {found}"
    return int(found[0])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_notebook_states_the_session_length_of_the_stage_table(lang):
    from lifecycle_kit.course.stages import session_minutes

    folder = ROOT / "notebooks" / ("ru" if lang == "ru" else "")
    stated = {name: _notebook_minutes(folder / f"{name}.ipynb", lang) for name in session_minutes()}
    assert stated == session_minutes(), "notebooks' Expected time differs from lifecycle_kit.course.stages (minutes)"


@pytest.mark.parametrize("guide, unit", [("docs/instructor_guide.md", "min"), ("docs/ru/instructor_guide.md", "мин")])
def test_the_instructor_guides_give_each_session_the_length_of_the_stage_table(guide, unit):
    from lifecycle_kit.course.stages import session_minutes

    text = (ROOT / guide).read_text(encoding="utf-8")
    stated = {name: int(minutes) for name, minutes in
              re.findall(rf"^## .*\(`(\d\d_\w+)\.ipynb`\) — (\d+) {unit}", text, flags=re.M)}
    assert stated == session_minutes(), f"{guide}: session lengths differ from lifecycle_kit.stages"
    low, high = re.search(r"\*\*(?:from )?(\d+) (?:to|до)\s+(\d+) (?:minutes|минут)\*\*", text).groups()
    stage_minutes = [s.minutes for s in list_stages(include_capstone=False)]
    assert (int(low), int(high)) == (min(stage_minutes), max(stage_minutes))


@pytest.mark.parametrize("guide, unit", [("docs/learner_guide.md", "min"), ("docs/ru/learner_guide.md", "мин")])
def test_the_learner_guides_give_each_notebook_the_length_of_the_stage_table(guide, unit):
    from lifecycle_kit.course.stages import session_minutes

    text = (ROOT / guide).read_text(encoding="utf-8")
    stated = {name: int(minutes) for name, minutes in
              re.findall(rf"^\| \d+ \| `(\d\d_\w+)` \| .* \| (\d+) {unit} \|$", text, flags=re.M)}
    assert stated == session_minutes(), f"{guide}: study times differ from lifecycle_kit.stages"
    low, high = re.search(r"(\d+)–(\d+) (?:minutes|минут)", text).groups()
    stage_minutes = [s.minutes for s in list_stages(include_capstone=False)]
    assert (int(low), int(high)) == (min(stage_minutes), max(stage_minutes))
