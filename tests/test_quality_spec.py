import json

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.quality import DataSpec, Rule, infer_spec
from lifecycle_kit.quality.spec import ColumnSpec


@pytest.fixture
def reference():
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "age": rng.integers(18, 80, 500),
        "income": np.round(rng.normal(3000, 500, 500), 2),
        "city": rng.choice(["Moscow", "Kazan", "Omsk"], 500),
        "date": pd.Series(pd.date_range("2024-01-01", periods=500, freq="D")).dt.strftime("%Y/%m/%d"),
    })


def test_infer_spec_types_ranges_categories_patterns_quantiles(reference):
    spec = infer_spec(reference)
    age, income, city, date = (spec.columns[c] for c in ("age", "income", "city", "date"))
    assert age.kind == "integer" and (age.min, age.max) == (reference.age.min(), reference.age.max())
    assert income.kind == "numeric" and income.decimals == 2
    assert city.kind == "categorical" and city.allowed == ["Kazan", "Moscow", "Omsk"]
    assert date.pattern == r"\d+/\d+/\d+"
    assert age.quantiles["0.5"] == pytest.approx(reference.age.median())
    assert sum(city.frequencies.values()) == pytest.approx(1.0)
    assert not any(c.nullable for c in spec.columns.values())
    assert spec.drift_possible is True


def test_json_round_trip_is_exact_and_editable(reference, tmp_path):
    spec = infer_spec(reference)
    spec.columns["age"].description = "years"
    spec.rules.append(Rule("age", "<=", 120))
    spec.quasi_identifiers = ["age", "city"]
    spec.save(tmp_path / "spec.json")
    again = DataSpec.load(tmp_path / "spec.json")
    assert again == spec
    assert json.loads((tmp_path / "spec.json").read_text())["format"] == "lifecycle-kit-spec/1"


@pytest.mark.parametrize("text,match", [
    ("{", "not valid JSON"),
    ('{"format": "other/1"}', "spec format must be"),
    ('{"colums": []}', "unknown spec field"),
    ('{"columns": [{"name": "a", "kind": "vector"}]}', "kind must be one of"),
    ('{"columns": [{"name": "a", "colour": 1}]}', "unknown field"),
    ('{"columns": [{"name": "a", "pattern": "("}]}', "is not a regular expression"),
    ('{"rules": [{"left": "a", "op": "=~", "right": 1}]}', "rule operator must be one of"),
])
def test_malformed_specs_are_refused_with_reasons(text, match):
    with pytest.raises(LifecycleKitError, match=match):
        DataSpec.from_json(text)


def test_validate_names_column_rule_count_and_five_examples(reference):
    spec = infer_spec(reference)
    batch = reference.astype({"income": object})
    batch.loc[:9, "age"] = 500
    batch.loc[0, "city"] = "Paris"
    batch.loc[1, "income"] = "lots"
    batch.loc[2, "date"] = "2024-01-01"
    batch = batch.drop(columns="date").assign(extra=1, date=batch["date"])
    found = {(v.column, v.rule): v for v in spec.validate(batch)}
    assert found[("age", "range")].count == 10 and len(found[("age", "range")].examples) == 5
    assert found[("age", "range")].examples[0] == (0, 500)
    assert found[("city", "category")].count == 1
    assert found[("income", "type")].count == 1
    assert found[("date", "format")].count == 1
    assert ("extra", "unexpected_column") in found


def test_missing_column_and_nullability_and_rules(reference):
    spec = infer_spec(reference)
    spec.rules.append(Rule("age", ">=", "income", name="age exceeds income"))
    batch = reference.drop(columns="city")
    batch.loc[0, "age"] = np.nan
    found = {(v.column, v.rule): v for v in spec.validate(batch)}
    assert found[("city", "missing_column")].count == len(batch)
    assert found[("age", "missing")].count == 1
    assert found[("age", "rule")].count == len(batch) - 1        # NaN rows cannot break a rule


def test_flag_rows_marks_every_row_with_a_violation(reference):
    spec = infer_spec(reference)
    batch = reference.copy()
    batch.loc[[3, 7], "age"] = -1
    batch.loc[7, "city"] = "Paris"
    batch.loc[11, "city"] = "Paris"
    assert list(spec.flag_rows(batch)[lambda s: s].index) == [3, 7, 11]


def test_ranges_tighten_and_widen_from_reference_quantiles(reference):
    spec = infer_spec(reference)
    tight = spec.with_range(quantiles=(0.05, 0.95))
    assert tight.columns["age"].min == spec.columns["age"].quantiles["0.05"]
    assert tight.flag_rows(reference).mean() > 0.1
    wide = spec.with_margin(0.5)
    width = spec.columns["income"].max - spec.columns["income"].min
    assert wide.columns["income"].max == pytest.approx(spec.columns["income"].max + 0.5 * width)
    assert wide.flag_rows(reference).sum() == 0
    with pytest.raises(LifecycleKitError, match="quantiles must be two of"):
        spec.with_range(quantiles=(0.9, 0.1))


def test_numbers_stored_as_text_with_question_marks_are_numeric():
    df = pd.DataFrame({"n": [str(i) for i in range(200)] + ["?"]})
    spec = infer_spec(df)
    assert spec.columns["n"].kind == "numeric" and spec.columns["n"].nullable


def test_sentinels_and_tokens_count_as_missing():
    df = pd.DataFrame({"v": [1.0, -999.0, 3.0], "t": ["a", "not_known", "b"]})
    spec = infer_spec(df)
    spec.columns["v"].sentinels = [-999]
    spec.columns["v"].nullable = False
    found = {(v.column, v.rule): v.count for v in spec.validate(df)}
    assert found[("v", "missing")] == 1
    assert spec.columns["t"].nullable  # 'not_known' is a missing token


def test_column_spec_checks_its_kind():
    with pytest.raises(LifecycleKitError, match="column 'x': kind must be one of"):
        ColumnSpec(name="x", kind="blob")


def test_unknown_spec_column_is_named(reference):
    with pytest.raises(LifecycleKitError, match="has no column 'nope'"):
        infer_spec(reference).column("nope")


def test_a_spec_shows_itself_in_a_notebook_with_the_data_escaped():
    from lifecycle_kit.quality import Rule

    frame = pd.DataFrame({"<b>age</b>": [30, 41, 52], "job": ["clerk", "<script>x</script>", "chef"]})
    spec = infer_spec(frame)
    spec.columns["job"].description = "occupation & <i>role</i>"
    spec.rules = [Rule("<b>age</b>", ">", 0)]
    spec.target, spec.quasi_identifiers = "job", ["<b>age</b>"]
    html = spec._repr_html_()
    assert "<script>" not in html and "<b>age</b>" not in html and "<i>role</i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "occupation &amp; &lt;i&gt;role&lt;/i&gt;" in html
    assert "Data specification of 2 columns" in html and "target: job" in html
    assert "cross-field rules: &lt;b&gt;age&lt;/b&gt; &gt; 0" in html
    assert "quasi-identifiers: &lt;b&gt;age&lt;/b&gt; (groups of at least 5 rows)" in html
    assert html.count("<tr>") == 1 + len(spec.columns)  # a header and a row per column
    assert "drift possible: yes" in html and "integrity: Every file is recorded" in html
    spec.requirements["integrity"] = "Our own wording."
    spec.drift_possible = False
    assert "integrity: Our own wording." in spec._repr_html_() and "drift not expected" in spec._repr_html_()
