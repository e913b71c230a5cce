"""Write the JSON Schema of every result kind to lifecycle_kit/schemas/ (run after changing a layout).

    .venv/bin/python tools/write_result_schemas.py

The schemas are the contract of docs/json_format.md: required keys and their
types. Extra keys are allowed (a new key does not need a new schema_version);
removing a key or changing its meaning does.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "lifecycle_kit" / "schemas"

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NUM = {"type": ["number", "null"], "description": "null where the value is NaN or infinite"}
OPT_STR = {"type": ["string", "null"]}
LABEL = {"type": ["string", "number", "boolean"]}
STRS = {"type": "array", "items": STR}


def obj(required, optional=None):
    props = dict(required) | dict(optional or {})
    return {"type": "object", "required": list(required), "properties": props}


def records(**columns):
    return {"type": "array", "items": obj(columns)}


def schema(kind, title, required, optional=None):
    body = obj({"kind": {"const": kind}, "schema_version": {"const": 1}, "lifecycle_kit": STR} | required, optional)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://lifecycle-kit.invalid/schemas/{kind}.schema.json", "title": title, **body}


SCHEMAS = [
    schema("quality_report", "QualityReport: ISO/IEC 5259-2 measures of one table", {
        "passed": BOOL, "rows": INT, "columns": INT, "spec_source": STR,
        "measures": records(characteristic=STR, measure_id=STR, measure=STR, value=NUM, threshold=NUM, passed=BOOL,
                            definition=STR, detail=STR),
        "reasons": STRS,
        "not_applicable": records(measure_id=STR, measure=STR, reason=STR),
        "missing": records(column=STR, nan=INT, disguised=INT, tokens=STR, total=INT, share=NUM),
        "violations": {"type": "array", "items": obj({"column": STR, "rule": STR, "count": INT, "message": STR,
                                                      "examples": {"type": "array",
                                                                   "items": obj({"row": {}, "value": {}})}})}}),
    schema("drift_report", "DriftReport: which columns of a batch drifted from the reference", {
        "summary": STR, "drifted_columns": STRS, "drift_share": NUM, "dataset_drift": BOOL, "dataset_threshold": NUM,
        "correction": OPT_STR, "reference_rows": INT, "current_rows": INT, "notes": STRS,
        "columns": records(column=STR, kind=STR, test=STR, statistic=NUM, p_value=NUM, threshold=NUM, drifted=BOOL,
                           severity=NUM, explanation=STR)}),
    schema("gate_result", "GateResult: a quality gate's decision", {
        "passed": BOOL, "reasons": STRS, "checked": {"type": "object", "additionalProperties": NUM}}),
    schema("label_issues", "LabelIssues: rows whose label looks wrong", {
        "rows": INT, "flagged": INT, "method": OPT_STR, "classes": {"type": "array", "items": LABEL},
        "issues": {"type": "array", "items": obj({"position": INT, "self_confidence": NUM, "suggested_label": LABEL},
                                                 {"given_label": LABEL})}}),
    schema("verification", "Verification: a folder checked against its manifest", {
        "ok": BOOL, "summary": STR, "changed": STRS, "missing": STRS, "added": STRS}),
    schema("archive_check", "ArchiveCheck: what opening a signed archive found", {
        "ok": BOOL, "summary": STR, "problems": STRS, "files": STRS, "tables": STRS,
        "manifest": {"type": ["object", "null"]},
        "signers": records(fingerprint=OPT_STR, signed_at=OPT_STR),
        "row_changes": {"type": "object", "additionalProperties": obj({
            "ok": BOOL, "summary": STR, "changed": {"type": "array"}, "added": {"type": "array"},
            "removed": {"type": "array"}, "schema_changed": BOOL})}}),
    schema("lifecycle_report", "LifecycleReport: results of several stages, section by section", {
        "title": STR, "created": STR,
        "sections": {"type": "array", "items": obj({
            "stage": STR, "title": STR, "note": STR,
            "content_kind": {"type": "string", "description": "a result kind, or datasheet, lineage, violations, "
                                                             "table, text, mapping"},
            "content": {}})}}),
    schema("membership_result", "MembershipResult: membership inference against a trained model", {
        "model": STR, "auc": NUM, "ci": {"type": "array", "items": NUM, "minItems": 2, "maxItems": 2},
        "beats_chance": BOOL, "advantage": NUM, "train_accuracy": NUM, "test_accuracy": NUM, "summary": STR,
        "roc": {"type": ["array", "null"], "items": obj({"fpr": NUM, "tpr": NUM})}}),
    schema("collapse_result", "CollapseResult: recursive training on generated data, per generation", {
        "distribution": STR, "mode": STR, "sample_size": INT, "real_share": NUM, "runs": INT,
        "generations": {"type": "array", "items": obj({"generation": INT, "sigma_median": NUM, "tail_mass": NUM})}}),
    schema("domain_classifier_result", "DomainClassifierResult: can a model tell the batches apart", {
        "auc": NUM, "ci": {"type": "array", "items": NUM, "minItems": 2, "maxItems": 2}, "drifted": BOOL,
        "summary": STR, "n_reference": INT, "n_current": INT,
        "attributions": records(feature=STR, importance=NUM, correlated_with=STR, warning=STR)}),
    schema("monitoring_result", "MonitoringResult: a monitored stream, period by period", {
        "metric": STR, "floor": NUM, "policy": STR, "reference_score": NUM, "alerts": INT, "retrain_count": INT,
        "first_alert": {"description": "the period of the first alert (ISO time or number), or null"},
        "mean_score": NUM,
        "chunks": {"type": "array", "items": obj({"period": {}, "rows": INT, "score": NUM, "below_floor": BOOL,
                                                  "retrained": BOOL})}}),
    schema("linkage", "Linkage: matched record pairs and entity clusters", {
        "candidates": INT, "matches": INT, "entities": INT, "precision": NUM, "recall": NUM,
        "threshold": NUM,
        "score_histogram": obj({"edges": {"type": "array", "items": NUM},
                                "counts": {"type": ["array", "null"], "items": INT}}),
        "pairs": records(left=INT, right=INT, id_score=NUM, measure_score=NUM, score=NUM),
        "clusters": {"type": "array", "items": INT}}),
]


def main():
    OUT.mkdir(exist_ok=True)
    for body in SCHEMAS:
        kind = body["properties"]["kind"]["const"]
        (OUT / f"{kind}.schema.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {kind}.schema.json")


if __name__ == "__main__":
    main()
