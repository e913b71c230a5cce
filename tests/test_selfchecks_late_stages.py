"""Self-checks of notebooks 06-11: wrong options are judged wrong, and predictions come before what reveals them."""

import json
import re
from pathlib import Path

import pytest

from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.investigation import Investigation
from lifecycle_kit.course.selfchecks import for_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LATE = ["06_model_building", "07_system_deployment", "08_system_operation", "09_data_decommissioning",
        "10_system_decommissioning", "11_capstone_multi_source"]


@pytest.mark.parametrize("notebook", LATE)
def test_every_wrong_option_is_judged_wrong_with_a_hint_and_the_right_one_explains_why(notebook, monkeypatch):
    # The capstone's poisoned-source question is judged only after the investigation's commitment (its gate is
    # tested in test_capstone_investigation.py); here every investigation counts as committed.
    monkeypatch.setattr(Investigation, "committed", True)
    for key, q in for_notebook(notebook).items():
        if not isinstance(q, ChoiceQuestion):
            continue
        right = sorted(q.correct) if q.multiple else next(iter(q.correct))
        assert q.check(right).correct, key
        assert len(q.explanation) > 60, f"{key}: the explanation should say why"
        for wrong in set(q.options) - q.correct:
            feedback = q.check([wrong] if q.multiple else wrong)
            assert not feedback.correct, f"{key}: {wrong!r} accepted"
            assert feedback.hint, f"{key}: no hint for {wrong!r}"


def _cells(notebook):
    return json.loads((NOTEBOOKS / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]


def _first(cells, pattern):
    return next(i for i, c in enumerate(cells) if re.search(pattern, "".join(c["source"])))


# (notebook, question asked as a prediction, what must come after it: the lab or cell that shows the answer)
PREDICTIONS = [
    ("06_model_building", "predict_label_noise", r"QualityGateLab\(\)"),
    ("07_system_deployment", "centimetres_caught_by", r"ServingBugLab\(\)"),
    ("08_system_operation", "invisible_drift", r"DriftLab\(\)"),
    ("08_system_operation", "large_sample", r"sample_size_lesson\(n\)"),
    ("09_data_decommissioning", "forged_manifest", r"ArchiveLab\(\)"),
    ("10_system_decommissioning", "purge_all_but_models", r"DecommissionLab\(\)"),
    ("11_capstone_multi_source", "species_blocking", r"LinkageLab\("),
    # Asked after the evidence (a checked answer reveals it), before the learner reveals the truth.
    ("11_capstone_multi_source", "poisoned_source", r"^(# )?investigation\.reveal\(\)"),
]

# The capstone's suspect is committed to, with a reason and without a verdict, before anything names the poisoned
# source: the linkage lab shows label conflicts per source, section 7 the conflicts and the impact test, then the
# checked question and the truth.
CAPSTONE_REVEALS = [r"LinkageLab\(", r"label_conflicts\(", r"suspect_source\(records\)", r"source_impact\(",
                    r'SelfCheck\(questions\["poisoned_source"\]\)', r"^(# )?investigation\.reveal\(\)"]


@pytest.mark.parametrize("reveal", CAPSTONE_REVEALS)
def test_the_capstone_suspect_and_its_reason_are_committed_before_any_evidence(reveal):
    cells = _cells("11_capstone_multi_source")
    committed = _first(cells, r'^my_suspect = ""')
    assert re.search(r'^my_reason = ""', "".join(cells[committed]["source"]), re.M)
    assert committed < _first(cells, reveal), f"the suspect is committed after {reveal} shows evidence"
    assert "self-check" not in cells[committed]["metadata"].get("tags", []), "a checked commitment reveals the answer"


@pytest.mark.parametrize("notebook, key, reveal", PREDICTIONS, ids=[f"{n[:2]}-{k}-{r[:12]}" for n, k, r in PREDICTIONS])
def test_a_prediction_is_asked_before_the_cell_that_shows_the_answer(notebook, key, reveal):
    cells = _cells(notebook)
    asked = _first(cells, rf'SelfCheck\(questions\["{key}"\]\)')
    assert "self-check" in cells[asked]["metadata"].get("tags", [])
    assert asked < _first(cells, reveal), f"{notebook}: {key} is asked after {reveal} shows the answer"


@pytest.mark.parametrize("notebook", LATE)
def test_sources_are_cited_for_what_they_say(notebook):
    module = {"06_model_building": "model_building", "07_system_deployment": "system_deployment",
              "08_system_operation": "system_operation", "09_data_decommissioning": "data_decommissioning",
              "10_system_decommissioning": "system_decommissioning", "11_capstone_multi_source": "capstone"}[notebook]
    text = (NOTEBOOKS / f"{notebook}.ipynb").read_text(encoding="utf-8")
    text += (NOTEBOOKS.parent / "lifecycle_kit" / "course" / "selfchecks" / f"{module}.py").read_text(encoding="utf-8")
    # A modified adoption is not identical; the paper's qualifier is public safety; the threshold attack is Yeom's.
    assert "identical" not in text.lower()
    assert "safety-critical" not in text.lower()
    for match in re.finditer("Shokri", text):
        assert "shadow" in text[match.start():match.start() + 200], "Shokri et al. 2017 is the shadow-model attack"


def _markdown(notebook):
    return [("".join(c["source"])) for c in _cells(notebook) if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("notebook", LATE)
def test_orientation_comes_first_with_objectives_prerequisites_time_and_linked_terms(notebook):
    cells = _markdown(notebook)
    orientation = next(i for i, text in enumerate(cells) if text.startswith("## Orientation"))
    where = next(i for i, text in enumerate(cells) if text.startswith("## Where we are"))
    assert orientation == 1 and orientation < where, f"{notebook}: Orientation must follow the title"
    text = cells[orientation]
    for label in ("**Learning objectives**", "**Prerequisites**", "**Expected time**", "**Key terms**"):
        assert label in text, f"{notebook}: {label} missing"
    objectives = [line for line in text.splitlines() if line.startswith("- ")]
    assert 3 <= len(objectives) <= 5 and all(o.startswith("- You will be able to ") for o in objectives)
    assert re.search(r"about \d+ minutes", text)
    links = re.findall(r"\]\(\.\./docs/glossary\.md#([a-z0-9_-]+)\)", text)
    assert len(links) >= 5, f"{notebook}: key terms must link to the glossary"


@pytest.mark.parametrize("notebook", LATE[:-1])
def test_where_we_are_says_who_says_what(notebook):
    text = next(t for t in _markdown(notebook) if t.startswith("## Where we are"))
    labels = ["**What ISO/IEC 8183 defines for this stage.**", "**What Zatsarinny and Gavrilov recommend beyond it.**",
              "**The threat.**"]
    positions = [text.find(label) for label in labels]
    assert -1 not in positions and positions == sorted(positions), f"{notebook}: the three parts, in order"
    assert "Russian adoption" in text and "System engineering approaches to securing the safety" in text


def test_the_capstone_opens_with_the_case_and_says_its_data_is_open_and_not_personal():
    text = next(t for t in _markdown("11_capstone_multi_source") if t.startswith("## Where we are"))
    assert "Shandong" in text and "authorisation scopes" in text and "non-personal" in text
    assert all(city in text for city in ("Yantai", "Weifang", "Binzhou")) and "2019" in text
    assert "provincial police data platform" not in text
