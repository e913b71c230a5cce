"""The capstone's platform: sources, standardisation, linkage, tagging, access and audit, poisoning hunt, operation."""

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.platform import (
    POISONABLE,
    AccessDenied,
    AccessLayer,
    AuditLog,
    Scope,
    agency_sources,
    apply_tags,
    incoming_batches,
    jaro_winkler,
    label_conflicts,
    link_records,
    monitor_sources,
    standardise,
    standardise_all,
    unified_spec,
)

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


@pytest.fixture(scope="module")
def data():
    return agency_sources(poison_rate=0.4, random_state=0)


@pytest.fixture(scope="module")
def table(data):
    return standardise_all(data.sources)


@pytest.fixture(scope="module")
def truth(data):
    return np.concatenate([data.truth[name] for name in data.sources])


# --- sources and standardisation -------------------------------------------------------------------------------

def test_sources_are_seeded_and_inconsistent(data):
    again = agency_sources(poison_rate=0.4, random_state=0)
    for name in data.sources:
        pd.testing.assert_frame_equal(data.sources[name], again.sources[name])
    columns = [set(frame.columns) for frame in data.sources.values()]
    assert all(not (a & b) - {"sex", "island", "species"} for i, a in enumerate(columns) for b in columns[i + 1:])
    assert agency_sources(random_state=1).sources["field_survey"]["bird"].tolist() != \
        agency_sources(random_state=0).sources["field_survey"]["bird"].tolist()


def test_poisoning_flips_exactly_the_recorded_rows(data):
    clean = agency_sources(random_state=0)
    name = data.poisoned["source"]
    column = {"station_registry": "Species", "field_survey": "spp", "tagging_program": "species"}[name]
    changed = np.flatnonzero((clean.sources[name][column] != data.sources[name][column]).to_numpy()
                             & clean.sources[name][column].notna().to_numpy())
    assert changed.tolist() == data.poisoned["rows"].tolist()
    labelled = clean.sources[name][column].notna().sum()
    assert len(changed) == round(0.4 * labelled)
    for other in data.sources:
        if other != name:
            pd.testing.assert_frame_equal(clean.sources[other], data.sources[other])
    assert clean.poisoned is None
    chosen = {agency_sources(poison_rate=0.2, random_state=s).poisoned["source"] for s in range(12)}
    assert chosen == set(POISONABLE)  # the seed decides, among every source an attacker could use
    assert agency_sources(poison_rate=0.2, poisoned_source="field_survey").poisoned["source"] == "field_survey"


@pytest.mark.parametrize("kwargs,message", [({"poison_rate": 1.5}, "poison_rate"),
                                            ({"poison_rate": 0.1, "poisoned_source": "isotope_lab"}, "poisoned_source"),
                                            ({"audit_size": 3}, "audit_size")])
def test_source_arguments_are_checked(kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        agency_sources(**kwargs)


def test_standardisation_recovers_the_original_values(data, table):
    original = data.original
    for name in ("station_registry", "field_survey", "tagging_program"):
        part = table[table["source"] == name].reset_index(drop=True)
        rows = original.iloc[data.truth[name]].reset_index(drop=True)
        mass = pd.to_numeric(rows["Body Mass (g)"])
        assert np.allclose(part["body_mass_g"], mass, equal_nan=True, atol=0.6)
        assert (part["island"].dropna() == rows.loc[part["island"].notna(), "Island"]).all()  # typos absorbed
        assert part["island"].notna().sum() == rows["Island"].notna().sum()
        dates = pd.to_datetime(rows["Date Egg"])
        assert (part["egg_date"] == dates).all()
    assert set(table["species"].dropna()) == {"Adelie", "Chinstrap", "Gentoo"}
    assert set(table["sex"].dropna()) == {"female", "male"}


def test_the_spec_catches_only_the_mistyped_identifiers(data, table):
    violations = unified_spec().validate(table)
    assert [(v.column, v.rule) for v in violations] == [("individual_id", "format")]
    survey = data.sources["field_survey"]["bird"]
    true_ids = data.original["Individual ID"].iloc[data.truth["field_survey"]].to_numpy()
    assert violations[0].count <= int((survey.to_numpy() != true_ids).sum())


def test_standardise_errors_name_what_is_wrong(data):
    with pytest.raises(LifecycleKitError, match="no mapping for source 'nasa'"):
        standardise("nasa", data.sources["field_survey"])
    with pytest.raises(LifecycleKitError, match="mapped column 'mass_kg' is not in the data"):
        standardise("field_survey", data.sources["field_survey"].drop(columns="mass_kg"))


# --- linkage ---------------------------------------------------------------------------------------------------

def test_jaro_winkler_known_values():
    assert jaro_winkler("MARTHA", "MARHTA") == pytest.approx(0.9611, abs=1e-4)
    assert jaro_winkler("DIXON", "DICKSONX") == pytest.approx(0.8133, abs=1e-4)
    assert jaro_winkler("", "A") == 0.0 and jaro_winkler("ABC", "XYZ") == 0.0 and jaro_winkler("A", "A") == 1.0


def test_similarity_linkage_beats_the_exact_join(table, truth):
    exact = link_records(table, exact=True, truth=truth)
    linked = link_records(table, truth=truth)
    assert linked.precision >= 0.99 and linked.recall >= 0.98
    assert exact.recall < linked.recall - 0.02
    assert abs(linked.entities - len(set(truth))) <= 5


def test_linkage_threshold_trades_precision_for_recall(table, truth):
    loose, strict = link_records(table, threshold=0.7, truth=truth), link_records(table, threshold=1.0, truth=truth)
    assert loose.precision < 0.5 and loose.recall >= 0.98
    assert strict.precision >= 0.99 and strict.recall < 0.7


def test_blocking_on_a_flippable_label_or_a_missing_column_loses_links(table, truth):
    full = link_records(table, truth=truth).recall
    assert link_records(table, block_on=("study", "species"), truth=truth).recall < full - 0.1
    assert link_records(table, block_on=("study", "island"), truth=truth).recall < full - 0.3


def test_linkage_precision_recall_by_hand():
    frame = pd.DataFrame({"source": ["a", "b", "a", "b"], "study": "S", "individual_id": ["N1A1", "N1A1", "N2A1", "N9A9"],
                          "m": [10.0, 10.0, 20.0, 20.0]})
    result = link_records(frame, measures=("m",), truth=[0, 0, 1, 1])
    assert set(zip(result.pairs["left"], result.pairs["right"])) == {(0, 1)}
    assert result.precision == 1.0 and result.recall == 0.5 and result.entities == 3


@pytest.mark.parametrize("kwargs,message", [({"threshold": 2}, "threshold"), ({"id_weight": -1}, "id_weight"),
                                            ({"block_on": ("nope",)}, "'nope' is needed"),
                                            ({"truth": [0, 1]}, "truth has 2 entries")])
def test_linkage_bad_input(table, kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        link_records(table, **kwargs)


def test_label_conflicts_point_at_the_poisoned_source(data, table):
    conflicts = label_conflicts(table, link_records(table).clusters)
    assert conflicts["source"].iloc[0] == data.poisoned["source"]
    assert conflicts["conflict_rate"].iloc[0] == pytest.approx(0.4, abs=0.05)
    assert (conflicts["conflict_rate"].iloc[1:] < 0.1).all()
    clean = agency_sources(random_state=0)
    clean_table = standardise_all(clean.sources)
    assert (label_conflicts(clean_table, link_records(clean_table).clusters)["conflict_rate"] < 0.02).all()
    with pytest.raises(LifecycleKitError, match="clusters has 2 entries"):
        label_conflicts(table, [0, 1])


# --- tagging ---------------------------------------------------------------------------------------------------

def test_tags_coverage_and_conflicts_are_counted_exactly(table):
    result = apply_tags(table)
    mass = table["body_mass_g"]
    assert result.counts["light"] == int((mass < 3500).sum()) and result.counts["heavy"] == int((mass >= 4750).sum())
    assert result.counts["needs review"] == int(table["sex"].isna().sum())
    tagged = (mass < 3500) | (mass >= 4750) | (table["bill_length_mm"] >= 48) | (table["bill_length_mm"] < 38) \
        | table["delta_15n"].notna() | table["sex"].isna()
    assert result.coverage == pytest.approx(tagged.mean()) and result.conflicts == 0
    overlapping = [{"tag": "light", "column": "body_mass_g", "op": "<", "value": 3500},
                   {"tag": "heavy", "column": "body_mass_g", "op": ">=", "value": 3400}]
    clash = apply_tags(table, overlapping, exclusive=[{"light", "heavy"}])
    assert clash.conflicts == int(mass.between(3400, 3499.999).sum()) > 0
    assert all(set(clash.tags[i]) == {"light", "heavy"} for i in clash.conflict_rows)
    assert apply_tags(table, overlapping, exclusive=[]).conflicts == 0


def test_tag_rule_operators():
    frame = pd.DataFrame({"x": [1.0, 2.0, np.nan], "c": ["a", "b", "a"]})
    def tagged(op, value, column="x"):
        return apply_tags(frame, [{"tag": "t", "column": column, "op": op, "value": value}], exclusive=[]).counts["t"]
    assert [tagged(op, 2) for op in ("<", "<=", ">", ">=", "==", "!=")] == [1, 2, 0, 1, 1, 2]
    assert tagged("in", ["a"], "c") == 2 and tagged("missing", True) == 1 and tagged("missing", False) == 2


@pytest.mark.parametrize("rule,message", [({"tag": "t", "column": "x", "op": "~", "value": 1}, "op must be one of"),
                                          ({"tag": "t", "column": "zz", "op": "<", "value": 1}, "column 'zz'"),
                                          ({"tag": "t", "op": "<", "value": 1}, "needs 'column'")])
def test_bad_tag_rules(rule, message):
    with pytest.raises(LifecycleKitError, match=message):
        apply_tags(pd.DataFrame({"x": [1]}), [rule])


# --- access layer and audit log --------------------------------------------------------------------------------

@pytest.fixture
def layer(table):
    scopes = {"analyst": Scope(columns=["species", "body_mass_g"]),
              "partner": Scope(columns=["source", "species"], rows={"source": ["field_survey"]})}
    return AccessLayer(table, scopes)


def test_reads_inside_the_scope_are_served_and_logged(layer, table):
    assert layer.read("analyst").shape == (len(table), 2)
    own = layer.read("partner")
    assert set(own["source"]) == {"field_survey"} and len(own) == int((table["source"] == "field_survey").sum())
    assert len(layer.read("partner", where={"source": ["field_survey"]})) == len(own)
    assert [e["outcome"].split(":")[0] for e in layer.log.entries] == ["granted"] * 3
    assert layer.log.verify() == (True, None)


@pytest.mark.parametrize("role,kwargs,message", [
    ("analyst", {"columns": ["individual_id"]}, "may not read column"),
    ("partner", {"where": {"source": ["tagging_program"]}}, "may not read rows where source is tagging_program"),
    ("stranger", {}, "has no scope")])
def test_refused_reads_raise_and_are_logged(layer, role, kwargs, message):
    with pytest.raises(AccessDenied, match=message):
        layer.read(role, **kwargs)
    assert layer.log.entries[-1]["outcome"].startswith("denied") and layer.log.entries[-1]["role"] == role
    assert layer.log.verify() == (True, None)


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap", "rehash_one"])
def test_tampering_with_the_audit_log_is_detected_where_it_happened(layer, tamper):
    for _ in range(6):
        layer.read("analyst", purpose="report")
    entries = layer.log.entries
    if tamper == "edit":
        entries[2]["purpose"] = "nothing to see"
    elif tamper == "delete":
        del entries[2]
    elif tamper == "swap":
        entries[2], entries[3] = entries[3], entries[2]
    else:  # the attacker recomputes the edited entry's own hash: the next entry's link still breaks
        entries[2]["purpose"] = "nothing to see"
        entries[2]["hash"] = AuditLog._digest(entries[2])
    assert layer.log.verify() == (False, 3 if tamper == "rehash_one" else 2)


def test_scope_naming_unknown_columns_is_refused(table):
    with pytest.raises(LifecycleKitError, match="unknown column"):
        AccessLayer(table, {"x": Scope(columns=["nope"])})


# --- the poisoned source -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_per_source_impact_names_the_poisoned_source(seed):
    from lifecycle_kit.poisoning import source_impact

    data = agency_sources(poison_rate=0.4, random_state=seed)
    labelled = standardise_all(data.sources).dropna(subset=FEATURES + ["species"])
    impact = source_impact(labelled[FEATURES].to_numpy(), labelled["species"].to_numpy(),
                           labelled["source"].to_numpy(), data.audit[FEATURES].to_numpy(),
                           data.audit["species"].to_numpy(), model="logistic")
    assert impact.loc[impact["flagged"], "source"].tolist() == [data.poisoned["source"]]


def test_what_the_capstone_says_about_the_poisoned_model_holds(data, table):
    """The notebook's reading: accuracy barely moves, confidence is damaged, the source alone is clearly worse."""
    from sklearn.metrics import accuracy_score, log_loss

    from lifecycle_kit.models import make_classifier

    labelled = table.dropna(subset=FEATURES + ["species"])
    audit = data.audit

    def score(part):
        model = make_classifier("logistic", random_state=0).fit(part[FEATURES], part["species"])
        return (accuracy_score(audit["species"], model.predict(audit[FEATURES])),
                log_loss(audit["species"], model.predict_proba(audit[FEATURES]), labels=model.classes_))

    bad = data.poisoned["source"]
    everything, without, alone = (score(labelled), score(labelled[labelled["source"] != bad]),
                                  score(labelled[labelled["source"] == bad]))
    assert abs(everything[0] - without[0]) <= 0.03
    assert everything[1] > 3 * without[1]
    assert alone[0] < without[0] - 0.05


# --- operation -------------------------------------------------------------------------------------------------

def test_the_monitor_catches_the_drifted_source_and_stays_quiet_elsewhere(data):
    alarms = []
    for seed in range(5):
        stream = incoming_batches(data.sources, batches=6, drift_from=3, random_state=seed)
        result = monitor_sources(data.sources, stream)
        late = (result["batch"] >= 3) & (result["source"] == "field_survey")
        alarms.append((result.loc[late, "alarm"].mean(), result.loc[~late, "alarm"].mean()))
        assert set(result.loc[late & result["alarm"], "drifted"]) <= {"body_mass_g"}
    detection, false_alarms = np.mean(alarms, axis=0)
    assert detection >= 0.9 and false_alarms <= 0.05
    quiet = monitor_sources(data.sources, incoming_batches(data.sources, batches=4, drift_source=None))
    assert quiet["alarm"].mean() <= 0.1


def test_drift_is_applied_in_the_source_units(data):
    stream = incoming_batches(data.sources, batches=2, drift_from=1, drift_factor=2.0, size=400, random_state=0)
    before, after = stream[0]["field_survey"]["mass_kg"], stream[1]["field_survey"]["mass_kg"]
    assert after.median() == pytest.approx(2 * before.median(), rel=0.15)
    pd.testing.assert_series_equal(stream[1]["tagging_program"]["weight_g"].describe().loc[["min", "max"]],
                                   data.sources["tagging_program"]["weight_g"].describe().loc[["min", "max"]])


@pytest.mark.parametrize("kwargs,message", [({"drift_source": "nasa"}, "drift_source 'nasa'"),
                                            ({"drift_source": "isotope_lab"}, "does not record 'body_mass_g'"),
                                            ({"batches": 0}, "batches"), ({"drift_factor": -1}, "drift_factor")])
def test_incoming_batches_bad_input(data, kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        incoming_batches(data.sources, **kwargs)


def test_monitor_bad_input(data):
    with pytest.raises(LifecycleKitError, match="no batch"):
        monitor_sources(data.sources, [])
    with pytest.raises(LifecycleKitError, match="has no reference"):
        monitor_sources({"field_survey": data.sources["field_survey"]}, incoming_batches(data.sources, batches=1))


def test_label_conflicts_counts_agree_with_a_pair_by_pair_reading():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"source": rng.choice(list("abc"), 300), "species": rng.choice(["X", "Y", "Z", None], 300)})
    clusters = rng.integers(0, 60, 300)
    expected = {}
    for s in "abc":
        checked = conflicts = 0
        for i in np.flatnonzero((frame["source"] == s).to_numpy()):
            if pd.isna(frame["species"][i]):
                continue
            others = [frame["species"][j] for j in np.flatnonzero(clusters == clusters[i])
                      if frame["source"][j] != s and pd.notna(frame["species"][j])]
            if others:
                checked += 1
                conflicts += sum(o != frame["species"][i] for o in others) * 2 > len(others)
        expected[s] = (checked, conflicts)
    table = label_conflicts(frame, clusters).set_index("source")
    assert {s: (table.at[s, "checked"], table.at[s, "conflicts"]) for s in "abc"} == expected
