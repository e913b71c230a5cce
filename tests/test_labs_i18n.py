"""The labs in Russian: every lab made with ``lang="ru"`` shows Russian titles, intros, control labels, option labels
and summaries; a control moved later (a widget callback, outside any language context) keeps the lab's language;
``lang="en"`` keeps the English; the names the core writes in English that a lab shows are all in the catalog.

Fast: each lab is built once per language where that is cheap; the two slow labs get a cheap construction path
(a smaller digits set for the backdoor lab, two poisoning rates for the defence lab's sweeps) — their texts do not
depend on the size of the data.
"""

import html
import re

import pytest

import lifecycle_kit.labs as labs
from lifecycle_kit import i18n
from lifecycle_kit.i18n import _, set_language
from lifecycle_kit.labs.base import slider_values

# SelfCheck and EarlierStages (a column of SelfChecks) are question boxes, not labs with controls and a summary.
LAB_NAMES = [name for name in labs.__all__ if name not in ("Lab", "SelfCheck", "EarlierStages")]

# Option lists that are data, not interface: they stay as the data names them.
DATA_OPTIONS = {
    ("DatasetExplorer", "dataset"): "dataset names (code: load('adult'))",
    ("SourceRegistryLab", "include"): "names of the example registry's sources (lifecycle_kit.conception)",
    ("RelevanceLab", "keep"): "column names of the breast-cancer dataset",
    ("BackdoorLab", "target_label"): "digits",
    ("CollapseLab", "generations"): "numbers",
    ("CollapseLab", "sample_size"): "numbers",
    ("DriftLab", "sample_size"): "numbers",
    ("PoisoningLab", "rate"): "numbers",
    ("BackdoorLab", "rate"): "numbers",
    ("PoisoningLab", "source"): "agency identifiers (agency_1, ...) besides «все источники»",
    ("LifecycleMap", "stage"): "stage numbers",
}


def _make(name, lang):
    kwargs = {"ProgressLab": {"path": "no-such-progress-file.jsonl"}, "DefenceLab": {"progress": False}}
    return getattr(labs, name)(lang=lang, **kwargs.get(name, {}))


@pytest.fixture(scope="module")
def cheap(request):
    """Cheap construction paths for the two labs whose data size only costs time."""
    mp = pytest.MonkeyPatch()
    import lifecycle_kit.datasets as datasets
    from lifecycle_kit.labs import defence_lab

    full_load = datasets.load

    def small_load(name, *args, **kwargs):
        ds = full_load(name, *args, **kwargs)
        if name == "digits":  # 600 digits train an SVC in a fraction of the time of 1,797
            keep = ds.frame.index[:600]
            ds.frame, ds.target = ds.frame.loc[keep], ds.target.loc[keep]
        return ds

    mp.setattr(datasets, "load", small_load)
    mp.setattr(defence_lab, "RATES", (0.0, 0.2))
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _english_around(monkeypatch):
    """The process speaks English: only the lab's own ``lang`` can make it Russian."""
    monkeypatch.delenv(i18n.ENV_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    set_language(None)
    yield
    set_language(None)


@pytest.fixture(scope="module")
def russian(cheap):
    return {name: _make(name, "ru") for name in LAB_NAMES}


def _plain(text):
    """Visible text of an HTML fragment: code, file names and tags removed."""
    text = re.sub(r"<code>.*?</code>", " ", str(text), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    return re.sub(r"\S+\.(csv|pkl|log|ipynb|json|gz)\b", " ", text)  # paths in the decommission lab's rescan


def _option_labels(control):
    return [str(o[0]) if isinstance(o, tuple) else str(o) for o in getattr(control, "options", ())]


def _visible_texts(name, lab):
    header = lab.widget.children[0].value
    texts = {"header": _plain(header)}
    for key, control in lab.controls.items():
        texts[f"{key}.description"] = getattr(control, "description", "")
        if (name, key) not in DATA_OPTIONS:
            for i, label in enumerate(_option_labels(control)):
                texts[f"{key}.option{i}"] = label
        for i, tip in enumerate(getattr(control, "tooltips", None) or ()):
            texts[f"{key}.tooltip{i}"] = tip
    texts["summary"] = _plain(lab.summary.value)
    return texts


def _letters(text):
    latin = len(re.findall(r"[A-Za-z]", text))
    cyrillic = len(re.findall(r"[А-Яа-яЁё]", text))
    return latin, cyrillic


# Runs of three or more Latin words that may stay in Russian text, with the reason.
ALLOWED_ENGLISH = [
    r"ISO/IEC \d+",  # standard designations
    r"UCI Adult( \(Census Income\))?(, raw)?",  # dataset names (the card's title)
    r"Optical Recognition of Handwritten Digits",
    r"Palmer penguins( \(simplified\))?",
    r"CC BY \d\.\d|CC0 \d\.\d",  # licence names
    r"LIFECYCLE_KIT_PROGRESS",
]


def _english_runs(text):
    for pattern in ALLOWED_ENGLISH:
        text = re.sub(pattern, " ", text)
    words = r"[A-Za-z][A-Za-z'\-]*"
    return [m.group(0) for m in re.finditer(rf"{words}(?:[ ,]+{words}){{2,}}", text)
            if not re.fullmatch(r"[\w\-]+", m.group(0).replace(" ", ""))  # identifiers such as record_id
            or len(m.group(0).split()) >= 3]


@pytest.mark.parametrize("name", LAB_NAMES)
def test_a_lab_made_in_russian_speaks_russian(name, russian):
    lab = russian[name]
    assert lab.lang == "ru" and lab.error is None, lab.error
    texts = _visible_texts(name, lab)
    latin, cyrillic = map(sum, zip(*(_letters(t) for t in texts.values())))
    assert cyrillic / (latin + cyrillic) >= 0.8, (name, latin, cyrillic, texts)
    for where, text in texts.items():
        # A label with words must have Russian ones; a formula ("PSI > 0,1") or a digit may stand alone.
        if len(re.findall(r"[A-Za-zА-Яа-яЁё]{2,}", text)) >= 2 or where.endswith("description"):
            assert _letters(text)[1], f"{name} {where} has no Russian: {text!r}"
        assert not _english_runs(text), f"{name} {where}: English left in {text!r}: {_english_runs(text)}"


@pytest.mark.parametrize("name", LAB_NAMES)
def test_the_russian_lab_draws_without_errors_and_in_russian(name, russian):
    lab = russian[name]
    items = lab.render(lab.result)
    strings = " ".join(_plain(item) for item in items if isinstance(item, str))
    headers = " ".join(str(c) for item in items if hasattr(item, "columns") for c in item.columns)
    if strings.strip() or headers.strip():
        latin, cyrillic = _letters(strings + " " + headers)
        assert cyrillic > 0, (name, strings[:300], headers)


def test_the_title_and_intro_of_every_lab_are_in_the_catalog():
    for name in LAB_NAMES:
        cls = getattr(labs, name)
        assert cls.title.msgid and _(cls.title, lang="ru") != str(cls.title), name
        assert cls.intro.msgid and _(cls.intro, lang="ru") != str(cls.intro), name


@pytest.mark.parametrize("name, key", [("QualityGateLab", "missing"), ("ExpertPanelLab", "adversarial"),
                                       ("DriftLab", "kind"), ("ServingBugLab", "bug"), ("SpecLab", "corruption"),
                                       ("LinkageLab", "block_on")])
def test_a_control_moved_later_keeps_the_labs_language(name, key, russian):
    lab = russian[name]
    control = lab.controls[key]
    before = lab.updates
    others = [v for v in slider_values(control) if v != control.value]
    control.value = others[-1]  # the widget callback runs here, outside any language context
    assert lab.updates == before + 1 and i18n.get_language() == "en"
    latin, cyrillic = _letters(_plain(lab.summary.value))
    assert cyrillic > latin, lab.summary.value
    assert not _english_runs(_plain(lab.summary.value)), lab.summary.value


def test_the_monitoring_buttons_keep_the_labs_language(russian):
    lab = russian["MonitoringLab"]
    assert lab.retrain_button.description == "Дообучить после этого периода"
    lab.retrain_button.click()  # a click: the callback retrains by hand and redraws
    assert lab.controls["manual"].value == (lab.retrain_at.value,)
    assert "Политика" in lab.summary.value and "дообучени" in lab.summary.value
    lab.clear_button.click()
    assert lab.controls["manual"].value == ()


def test_the_widget_header_is_built_in_the_labs_language_whenever_it_is_shown():
    lab = labs.LifecycleMap(stage=4, lang="ru")
    lab._widget = None
    with i18n.language("en"):  # shown later, from an English context
        header = lab.widget.children[0].value
    assert "Жизненный цикл данных" in header and "Комплектование наборов данных" in lab.summary.value


def test_russian_numbers_take_the_decimal_comma_in_the_summary(russian):
    summary = russian["QualityGateLab"].summary.value
    assert re.search(r"\d,\d{3}", summary) and not re.search(r"\d\.\d{3}", summary), summary


@pytest.mark.parametrize("name", ["LifecycleMap", "QualityGateLab", "ExpertPanelLab", "DriftLab", "SpecLab",
                                  "SourceRegistryLab", "CollapseLab", "ProgressLab", "ServingBugLab"])
def test_the_same_lab_in_english_is_english(name):
    lab = _make(name, "en")
    assert lab.lang == "en"
    texts = _visible_texts(name, lab)
    assert not any(_letters(t)[1] for t in texts.values()), texts
    assert _plain(lab.widget.children[0].value).split()[0] == str(getattr(labs, name).title).split()[0]


def test_a_lab_follows_the_kits_language_when_it_is_made(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VARIABLE, "ru_RU.UTF-8")
    assert labs.ExpertPanelLab().lang == "ru"
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/ru/05_data_preparation.ipynb")
    monkeypatch.delenv(i18n.ENV_VARIABLE)
    lab = labs.ExpertPanelLab()
    assert lab.lang == "ru" and lab.controls["experts"].description == "Размер группы"
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/05_data_preparation.ipynb")
    assert labs.ExpertPanelLab().lang == "en"


def test_an_error_a_learner_can_trigger_is_said_in_russian(russian):
    lab = russian["ExpertPanelLab"]
    lab.controls["careless"].value, lab.controls["adversarial"].value = 5, 5
    lab.controls["experts"].value = 5
    assert lab.result is None and "не больше" in lab.summary.value, lab.summary.value
    lab.controls["experts"].value = 15


# The names the core writes in English and the labs show: every one is marked in a lab module and translated.
def _core_names():
    from lifecycle_kit.conception import TRUST_LEVELS
    from lifecycle_kit.course.stages import list_stages
    from lifecycle_kit.drift.simulate import DRIFT_KINDS, PATTERNS, SERVING_BUGS
    from lifecycle_kit.integrity.tamper import TAMPERINGS
    from lifecycle_kit.labs import (
        conception_labs,
        decommission_labs,
        drift_lab,
        lifecycle_map,
        planning_labs,
        serving_bug_lab,
        spec_lab,
    )
    from lifecycle_kit.labs._terms import CHARACTERISTICS, MEASURE_NAMES
    from lifecycle_kit.planning import PLANNING_CHARACTERISTICS
    from lifecycle_kit.privacy import MEMBERSHIP_MODELS
    from lifecycle_kit.quality.measures import MEASURES
    from lifecycle_kit.quality.trials import CORRUPTIONS, RANGES

    return [
        ("stage names", [s.name for s in list_stages()], lifecycle_map.STAGE_NAMES),
        ("measure names", [m.name for m in MEASURES.values()], MEASURE_NAMES),
        ("characteristics", [m.characteristic for m in MEASURES.values()] + list(PLANNING_CHARACTERISTICS),
         CHARACTERISTICS),
        ("serving bugs", list(SERVING_BUGS.values()), serving_bug_lab.BUG_TEXTS),
        ("serving bug names", list(SERVING_BUGS), serving_bug_lab.BUG_NAMES),
        ("corruptions and ranges", [*CORRUPTIONS, *RANGES], spec_lab.OPTION_LABELS),
        ("trust levels", list(TRUST_LEVELS), conception_labs.TRUST_LABELS),
        ("tamperings", list(TAMPERINGS), decommission_labs.TAMPER_LABELS),
        ("membership models", list(MEMBERSHIP_MODELS), decommission_labs.MODEL_LABELS),
        ("drift kinds", list(DRIFT_KINDS), drift_lab.KIND_LABELS),
        ("drift patterns", list(PATTERNS), drift_lab.PATTERN_LABELS),
        ("planning candidates", list(planning_labs.CANDIDATES), planning_labs.CANDIDATES),
    ]


@pytest.mark.parametrize("what, names, marked", _core_names(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_name_the_core_gives_a_lab_is_marked_and_translated(what, names, marked):
    from lifecycle_kit.labs._terms import characteristic

    missing = [n for n in names if n not in marked]
    assert not missing, f"{what}: mark these in the lab module: {missing}"
    for name in names:
        label = marked[name] if isinstance(marked, dict) else name
        said = characteristic(label, lang="ru") if what == "characteristics" else _(label, lang="ru")
        assert said != str(label) or label.isdigit(), f"{what}: {label!r} has no Russian translation"


def test_the_measure_note_is_the_cores():
    from lifecycle_kit.labs._terms import MEASURE_ID_NOTE
    from lifecycle_kit.quality.measures import MEASURE_ID_NOTE as CORE_NOTE

    assert str(MEASURE_ID_NOTE) == CORE_NOTE


def test_data_accuracy_and_a_models_accuracy_are_different_words():
    from lifecycle_kit.labs._terms import characteristic

    assert characteristic("accuracy", lang="ru") == "точность"
    assert _("accuracy", lang="ru") == "доля правильных ответов"
    assert characteristic("precision", lang="ru") == "прецизионность" and _("precision", lang="ru") == "точность"


def test_the_lifecycle_map_tells_every_stage_in_russian():
    from lifecycle_kit.course.stages import list_stages
    from lifecycle_kit.labs.lifecycle_map import gost_reference, iso_reference

    for stage in list_stages():
        for text in (stage.summary, stage.you_will_see, *stage.practice, *stage.risks):
            said = _(text, lang="ru")
            assert said != str(text) and _letters(said)[1] > _letters(said)[0], (stage.number, text)
        # The map's references are the core's, said in the learner's language; the adoption is a modified one.
        assert iso_reference(stage) == stage.iso_reference and gost_reference(stage) == stage.gost_reference
        with i18n.language("ru"):
            assert "ГОСТ Р 70889-2023" in gost_reference(stage) and "идентичн" not in gost_reference(stage)
    lab = labs.LifecycleMap(stage=6, lang="ru")
    details = _plain(lab.result["details_html"])
    assert "Построение модели ИИ" in details and "Что делать на этой стадии" in details
