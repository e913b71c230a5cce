"""Every result kind: to_dict in the versioned layout, valid against its shipped schema, strict JSON, inline HTML."""

import html.parser
import json
import math

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle_kit import __version__
from lifecycle_kit.results import KINDS, SCHEMA_VERSION, jsonable, result_schema
from tests._result_objects import make_results


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("results")
    (root / "v").mkdir()
    (root / "r").mkdir()
    return make_results(root)


def test_every_kind_has_an_object_and_a_schema(results):
    assert set(results) == set(KINDS)
    for kind in KINDS:
        jsonschema.Draft202012Validator.check_schema(result_schema(kind))


@pytest.mark.parametrize("kind", list(KINDS))
def test_to_dict_is_the_versioned_envelope_and_matches_its_schema(results, kind):
    body = results[kind].to_dict()
    assert list(body)[:3] == ["kind", "schema_version", "lifecycle_kit"]
    assert (body["kind"], body["schema_version"], body["lifecycle_kit"]) == (kind, SCHEMA_VERSION, __version__)
    jsonschema.validate(body, result_schema(kind))
    # A schema that accepts anything would make this test empty: the wrong kind must be refused.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body | {"kind": "something_else"}, result_schema(kind))


@pytest.mark.parametrize("kind", list(KINDS))
def test_to_json_is_strict_json_that_round_trips(results, kind, tmp_path):
    text = results[kind].to_json()
    body = json.loads(text, parse_constant=lambda name: pytest.fail(f"{kind}: {name} in the JSON"))
    assert body == results[kind].to_dict()
    path = tmp_path / f"{kind}.json"
    results[kind].to_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == body


def test_values_in_the_dict_are_the_objects_values(results):
    quality = results["quality_report"].to_dict()
    assert quality["passed"] is results["quality_report"].passed
    assert {m["measure_id"]: m["value"] for m in quality["measures"]} == pytest.approx(
        {r.measure_id: r.value for r in results["quality_report"].results})
    drift = results["drift_report"].to_dict()
    assert drift["drifted_columns"] == results["drift_report"].drifted_columns == ["a"]
    issues = results["label_issues"].to_dict()
    assert [i["position"] for i in issues["issues"]] == results["label_issues"].indices.tolist() == [4]
    assert issues["issues"][0]["given_label"] == "b" and issues["issues"][0]["suggested_label"] == "a"
    verification = results["verification"].to_dict()
    assert (verification["ok"], verification["changed"]) == (False, ["a.csv"])
    assert results["archive_check"].to_dict()["ok"] is True
    linkage = results["linkage"].to_dict()
    assert sum(linkage["score_histogram"]["counts"]) == linkage["candidates"] == results["linkage"].candidates
    report = results["lifecycle_report"].to_dict()
    assert [s["content_kind"] for s in report["sections"]] == ["verification", "quality_report", "drift_report",
                                                               "text", "table"]
    assert report["sections"][4]["content"] == [{"k": 1, "v": 0.5}, {"k": 2, "v": None}]
    monitoring = results["monitoring_result"].to_dict()
    assert monitoring["chunks"][2]["score"] is None and monitoring["first_alert"].startswith("2024-01-08")


def test_jsonable_converts_numpy_pandas_and_non_finite_numbers():
    frame = pd.DataFrame({"a": [1.5, np.nan], "b": pd.array([1, None], dtype="Int64"), "c": ["x", None]})
    assert jsonable(frame) == [{"a": 1.5, "b": 1, "c": "x"}, {"a": None, "b": None, "c": None}]
    assert jsonable({1: np.array([np.inf, -np.inf, 2.0]), "t": (np.int64(3), np.bool_(False))}) == {
        "1": [None, None, 2.0], "t": [3, False]}
    assert jsonable(pd.Timestamp("2024-01-02")) == "2024-01-02T00:00:00"
    assert not any(isinstance(v, float) and math.isnan(v) for v in jsonable([np.float32("nan")]) if v is not None)


def test_an_unknown_kind_is_refused_with_the_known_ones():
    from lifecycle_kit import LifecycleKitError

    with pytest.raises(LifecycleKitError, match="no result kind 'nope'; known: quality_report"):
        result_schema("nope")


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.styles, self.classes_only = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "style" in attrs:
            self.styles.append(attrs["style"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_repr_html_is_styled_inline_and_has_no_script(results, kind):
    text = results[kind]._repr_html_()
    parser = _Collector()
    parser.feed(text)
    assert "script" not in parser.tags and "<style" not in text
    assert parser.styles, f"{kind}: no inline style"


def test_pass_and_fail_colours_are_inline(results):
    failed = results["gate_result"]._repr_html_()
    assert "color:#a50e0e" in failed and "Gate blocked" in failed
    table = results["drift_report"]._repr_html_()
    assert "color:#137333" in table and "color:#a50e0e" in table  # a column that held and one that drifted


@pytest.mark.parametrize("kind", ["label_issues", "membership_result", "domain_classifier_result", "linkage"])
def test_the_four_charts_are_inline_svg(results, kind):
    text = results[kind]._repr_html_()
    assert "<svg" in text and "</svg>" in text


def test_membership_roc_curve_matches_the_auc(results):
    result = results["membership_result"]
    roc = result.roc
    area = float(np.sum(np.diff(roc["fpr"]) * (roc["tpr"].to_numpy()[1:] + roc["tpr"].to_numpy()[:-1]) / 2))
    assert area == pytest.approx(result.auc, abs=1e-9)
    assert f"AUC {result.auc:.3f}" in result._repr_html_()


def test_data_in_html_is_escaped():
    from lifecycle_kit.quality import QualityGate

    frame = pd.DataFrame({"<b>x</b>": [1.0, None, None, 4.0]})
    text = QualityGate({"Com-ML-1": 0.99}).check_data(frame)._repr_html_()
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt;" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none()), min_size=1, max_size=30),
       st.lists(st.sampled_from(["a", "b", "?", "", None]), min_size=1, max_size=30))
def test_any_table_gives_strict_json_valid_against_the_schema(numbers, words):
    from lifecycle_kit.quality import assess

    n = min(len(numbers), len(words))
    report = assess(pd.DataFrame({"x": numbers[:n], "w": words[:n]}))
    body = json.loads(report.to_json(), parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    jsonschema.validate(body, result_schema("quality_report"))
