"""Reports, result displays, learner errors and the command line in Russian (issue 15).

For one small, seeded object of every result kind, the display a learner or a reader sees under ``language("ru")``
is Russian where the kit writes the words (a Cyrillic share of the visible text far above the zero that the data
values give: the English display of the same object has no Cyrillic letter at all), writes its numbers with the
decimal comma, and leaves the English display and the JSON document exactly as they were.
"""

import re

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import i18n
from lifecycle_kit.cli import main
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import language
from tests import _result_objects as objects

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
# A decimal number as a reader sees it: not part of a word, a hash, a version or a standard's number.
DECIMAL_POINT = re.compile(r"(?<![\w.\-])\d+\.\d+(?![\w.\-])")
DECIMAL_COMMA = re.compile(r"(?<![\w,])\d+,\d+(?![\w,])")


pytestmark = pytest.mark.usefixtures("automatic_language")


def _row_diff():
    from lifecycle_kit.integrity import RowManifest

    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    changed = frame.copy()
    changed.loc[1, "a"] = 20
    return RowManifest.from_frame(frame).diff(pd.concat([changed, frame.tail(1)], ignore_index=True))


def _datasheet():
    from lifecycle_kit.provenance import Datasheet

    frame = pd.DataFrame({"age": [31.5, None, 47.25, 52.0], "label": [0, 1, 1, 0]})
    return Datasheet.from_frame(frame, name="survey", target="label")


def _lineage():
    from lifecycle_kit.provenance import LineageRecorder

    recorder = LineageRecorder(pd.DataFrame({"x": [1.5, None, 3.25]}), name="raw survey", agent="data steward")
    recorder.apply("drop missing", lambda df: df.dropna())
    return recorder.lineage


def _data_spec():
    from lifecycle_kit.quality import Rule, infer_spec

    frame = pd.DataFrame({"height": [170.5, 182.25, 165.0, 158.75], "job": ["clerk", "chef", "clerk", "nurse"]})
    spec = infer_spec(frame)
    spec.rules = [Rule("height", ">", 0)]
    return spec


def _membership():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.privacy import membership_inference

    ds = load("breast_cancer")  # a small bootstrap keeps the test fast; the display is what is tested
    return membership_inference(ds.frame, ds.target, model="overfit_tree", bootstrap=20, random_state=0)


def _html_text(html):
    """What a reader sees: no style sheet, no tags, entities decoded."""
    import html as html_module

    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """kind -> (object, a function that renders what a reader sees as text)."""
    root = tmp_path_factory.mktemp("results")
    (root / "v").mkdir()
    (root / "r").mkdir()
    html = lambda obj: _html_text(obj._repr_html_())  # noqa: E731
    lifecycle = objects._lifecycle(root / "r")
    return {
        "QualityReport": (objects._quality(), html),
        "GateResult": (objects._gate(), html),
        "DriftReport": (objects._drift(), html),
        "DomainClassifierResult": (objects._domain(), html),
        "Verification": (objects._verification(root / "v"), html),
        "ArchiveCheck": (objects._archive(root), html),
        "RowDiff": (_row_diff(), lambda obj: obj.summary()),
        "LabelIssues": (objects._label_issues(), html),
        "MembershipResult": (_membership(), html),
        "CollapseResult": (objects._collapse(), html),
        "Linkage": (objects._linkage(), html),
        "MonitoringResult": (objects._monitoring(), html),
        "Datasheet": (_datasheet(), html),
        "Lineage": (_lineage(), html),
        "DataSpec": (_data_spec(), html),
        "LifecycleReport HTML": (lifecycle, lambda obj: _html_text(obj.to_html())),
        "LifecycleReport Markdown": (lifecycle, lambda obj: obj.to_markdown()),
    }


def _cyrillic_share(text):
    cyrillic, latin = len(CYRILLIC.findall(text)), len(LATIN.findall(text))
    return cyrillic / max(1, cyrillic + latin)


# Where the kit writes most of the words the share is high. Lower floors, each for a reason: the quality report
# (and the lifecycle report that holds one) shows ISO/IEC 5259-2 measure names, details and column names of the data
# in its tables; the lineage and the row diff name the user's own steps, tables and columns.
FLOORS = {"QualityReport": 0.08, "LifecycleReport HTML": 0.10, "LifecycleReport Markdown": 0.10, "Lineage": 0.10,
          "GateResult": 0.25, "DriftReport": 0.25, "RowDiff": 0.5}
KINDS = ["QualityReport", "GateResult", "DriftReport", "DomainClassifierResult", "Verification", "ArchiveCheck",
         "RowDiff", "LabelIssues", "MembershipResult", "CollapseResult", "Linkage", "MonitoringResult", "Datasheet",
         "Lineage", "DataSpec", "LifecycleReport HTML", "LifecycleReport Markdown"]
# Renders whose English has no decimal number to localise (counts, hashes, file names only; the datasheet's label
# shares are one answer text written when the datasheet is made; a lineage shows names, counts and times).
NO_DECIMALS = {"Verification", "ArchiveCheck", "RowDiff", "Datasheet", "Lineage"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_result_reads_in_russian_with_decimal_commas_and_english_is_unchanged(renders, kind):
    obj, render = renders[kind]
    english = render(obj)
    with language("ru"):
        russian = render(obj)
    assert render(obj) == english, "rendering in Russian changed the English render afterwards"
    with language("en"):
        assert render(obj) == english
    assert not CYRILLIC.search(english), "the English render has Cyrillic letters"
    share = _cyrillic_share(russian)
    assert share >= FLOORS.get(kind, 0.4), f"{kind}: only {share:.0%} of the letters are Cyrillic:\n{russian[:1500]}"
    if kind not in NO_DECIMALS:
        assert DECIMAL_POINT.search(english), f"{kind}: the test object shows no decimal number"
        assert DECIMAL_COMMA.search(russian), f"{kind}: no decimal comma in the Russian render:\n{russian[:1500]}"


def test_headings_of_the_quality_report_and_the_lifecycle_report_are_russian(renders):
    quality, _render = renders["QualityReport"]
    lifecycle, _render = renders["LifecycleReport HTML"]
    with language("ru"):
        markdown, html = quality.to_markdown(), quality.to_html()
        lifecycle_md = lifecycle.to_markdown()
    assert markdown.startswith("# Отчёт о качестве данных\n") and "## Показатели качества, худшие — первыми" in markdown
    assert "<h1>Отчёт о качестве данных</h1>" in html and "<html lang='ru'>" in html
    assert re.search(r"= \d,\d{3} — ниже порога \d,\d+", html), "the failed measures' reasons are not Russian"
    assert "## Качество данных" in lifecycle_md or "## " in lifecycle_md and CYRILLIC.search(lifecycle_md)
    assert quality.to_markdown().startswith("# Data quality report\n")



def test_the_measures_of_a_russian_assessment_explain_themselves_in_russian():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    frame = load("adult").frame
    english = assess(frame)
    with language("ru"):
        russian = assess(frame)
        html, markdown = russian._repr_html_(), russian.to_markdown()
    # The same measures, the same values: only the words change.
    assert russian.summary()[["measure_id", "value", "passed"]].equals(english.summary()[["measure_id", "value", "passed"]])
    assert any(r.passed for r in russian.results) and any(not r.passed for r in russian.results)
    for result in russian.results:  # every detail, of a failing or a passing measure, is a Russian sentence
        assert CYRILLIC.search(result.detail), f"{result.measure_id}: {result.detail!r}"
    assert all(CYRILLIC.search(why) for why in russian.not_applicable.values()), russian.not_applicable
    assert not any(CYRILLIC.search(r.detail) for r in english.results)
    duplicates = russian["Con-ML-1"].detail
    assert duplicates.startswith("точных дубликатов строк") and english["Con-ML-1"].detail.endswith(
        " exact duplicate rows beyond the first copy")
    assert DECIMAL_COMMA.search(russian["Div-ML-1"].detail), russian["Div-ML-1"].detail
    # Names are translated where they are shown; the frame code filters on stays English.
    assert "<td>полнота</td>" in html or ">полнота<" in html
    assert "| полнота | Com-ML-1 | полнота значений |" in markdown
    assert set(russian.summary()["characteristic"]) == set(english.summary()["characteristic"])
    assert "completeness" in set(russian.summary()["characteristic"])
    assert "Com-ML-2 полнота признаков = 0,857 — ниже порога" in html, "a failed measure's name is not Russian"

# Every kind but the row diff (a summary, no document); the lifecycle report once.
@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("RowDiff", "LifecycleReport Markdown")])
def test_the_json_document_is_the_same_in_every_language(renders, kind):
    obj, _render = renders[kind]
    english = obj.to_json()
    with language("ru"):
        assert obj.to_json() == english
    assert not CYRILLIC.search(english)


# Errors a learner can trigger from a notebook ---------------------------------------------------------------

def test_an_unknown_dataset_is_reported_in_russian():
    from lifecycle_kit.datasets import load

    with language("ru"), pytest.raises(LifecycleKitError) as caught:
        load("no_such_dataset")
    assert CYRILLIC.search(str(caught.value)) and "no_such_dataset" in str(caught.value)
    with pytest.raises(LifecycleKitError, match="unknown dataset 'no_such_dataset'"):
        load("no_such_dataset")


def test_an_out_of_range_poisoning_rate_is_reported_in_russian_with_decimal_commas():
    from lifecycle_kit.poisoning import flip_labels

    y = np.array([0, 1] * 10)
    with language("ru"), pytest.raises(LifecycleKitError) as caught:
        flip_labels(y, 1.5, random_state=0)
    assert str(caught.value) == "rate: значение должно лежать в интервале [0; 1); получено 1,5"
    with pytest.raises(LifecycleKitError) as caught:
        flip_labels(y, 1.5, random_state=0)
    assert str(caught.value) == "rate must be in [0, 1); got 1.5"
    with language("ru"), pytest.raises(LifecycleKitError, match="^rate: ожидается число; получено 'half' \\(str\\)$"):
        flip_labels(y, "half", random_state=0)


def test_an_unknown_notebook_and_an_unknown_model_are_reported_in_russian():
    from lifecycle_kit.course.selfchecks import for_notebook
    from lifecycle_kit.models import make_classifier

    with language("ru"):
        with pytest.raises(LifecycleKitError) as caught:
            for_notebook("99_nowhere")
        assert CYRILLIC.search(str(caught.value)) and "99_nowhere" in str(caught.value)
        with pytest.raises(LifecycleKitError, match="^model: допустимые значения — .*; получено 'forest2'$"):
            make_classifier(pd.DataFrame({"x": [1.0, 2.0]}), model="forest2")


def test_a_refusing_quality_gate_says_why_in_russian_and_keeps_english_reasons_for_programs():
    from lifecycle_kit.errors import QualityGateError
    from lifecycle_kit.quality import QualityGate

    frame = pd.DataFrame({"x": [1.0, None, 3.0, None]})
    with language("ru"), pytest.raises(QualityGateError) as caught:
        QualityGate({"Com-ML-1": 0.95}).fit(frame)
    assert str(caught.value).startswith("шлюз качества не пропустил данные: Com-ML-1")
    assert "= 0,500 — ниже порога 0,95" in str(caught.value)
    assert caught.value.reasons[0].startswith("Com-ML-1 value completeness = 0.500 is below 0.95")


# The command line -------------------------------------------------------------------------------------------

@pytest.fixture
def table(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("age,city,label\n31.5,Tver,0\n,Kazan,1\n47.25,,1\n52,Tver,0\n40,Kazan,1\n", encoding="utf-8")
    return path


def test_check_prints_russian_when_the_environment_asks_for_it(table, monkeypatch, capsys):
    monkeypatch.setenv(i18n.ENV_VARIABLE, "ru_RU.UTF-8")
    assert main(["check", str(table), "--target", "label", "--gate"]) == 1
    out = capsys.readouterr().out
    assert "строк — 5, столбцов — 2 и целевой столбец «label»; спецификация" in out and "прочитан " in out
    assert "код показателя" in out and "пройден" in out  # the table's headings too
    assert "шлюз качества НЕ ПРОЙДЕН:" in out and "пропущенные значения" in out
    assert re.search(r"\b0,\d{3}\b", out) and not re.search(r"\b0\.\d{3}\b", out.split("шлюз")[0])
    monkeypatch.delenv(i18n.ENV_VARIABLE)
    assert main(["check", str(table), "--target", "label", "--gate"]) == 1
    english = capsys.readouterr().out
    assert "5 rows x 2 columns and the target 'label'" in english and "gate FAILED:" in english
    assert not CYRILLIC.search(english)


def test_check_as_json_is_the_same_document_in_russian(table, monkeypatch, capsys):
    import json

    assert main(["check", str(table), "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    monkeypatch.setenv(i18n.ENV_VARIABLE, "ru")
    assert main(["check", str(table), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == english


def test_drift_help_and_usage_errors_are_russian(monkeypatch, capsys):
    monkeypatch.setenv(i18n.ENV_VARIABLE, "ru")
    with pytest.raises(SystemExit):
        main(["drift", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("использование: lifecycle-kit drift")
    for phrase in ("позиционные аргументы:", "параметры:", "эталонная таблица (CSV или Parquet)",
                   "показать эту справку и выйти"):
        assert phrase in help_text
    assert main(["drift"]) == 2
    assert capsys.readouterr().err == "error: не заданы обязательные аргументы: reference, current\n"
    assert main(["drift", "a.csv", "b.csv", "--method", "magic"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: аргумент --method: недопустимое значение 'magic' (допустимые: ") and err.count("\n") == 1
    monkeypatch.delenv(i18n.ENV_VARIABLE)
    with pytest.raises(SystemExit):
        main(["drift", "--help"])
    assert capsys.readouterr().out.startswith("usage: lifecycle-kit drift")


def test_doctor_summary_declines_the_counts_in_russian():
    from lifecycle_kit.doctor import Check, doctor_summary

    checks = [Check("a", "ok", ""), Check("b", "warn", ""), Check("c", "fail", ""), Check("d", "warn", "")]
    with language("ru"):
        assert doctor_summary(checks) == "4 проверки: 1 пройдена, 2 предупреждения, 1 не пройдена"
        assert doctor_summary(checks[:1] * 5) == "5 проверок: все пройдены"
    assert doctor_summary(checks) == "4 checks: 1 passed, 2 warnings, 1 failed"


def test_the_class_report_is_russian_for_a_russian_reader(tmp_path):
    from lifecycle_kit.course.class_report import build_class_report
    from lifecycle_kit.course.progress import record

    path = tmp_path / "ada" / "progress.jsonl"
    record("04_data_acquisition", "backdoor_success", event="check", status="correct", path=path, user="ada")
    report = build_class_report([tmp_path])
    english = report.to_html()
    with language("ru"):
        russian = report.to_html()
    assert "<h1>Отчёт по группе</h1>" in russian and "Самые трудные вопросы" in russian
    assert "Учащихся: 1; записей самопроверки: 1" in russian
    assert "<h1>Class report</h1>" in english and "1 learner(s), 1 self-check record(s)" in english
    with language("ru"), pytest.raises(LifecycleKitError, match="^путь не задан"):
        build_class_report([])
