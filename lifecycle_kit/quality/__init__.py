"""Data quality after ISO/IEC 5259-2: measures, specifications, defects, gates, label noise.

- :func:`assess` computes every applicable measure on a table and returns a
  :class:`QualityReport` (``to_frame``, worst-first ``summary``, ``plot``,
  self-contained ``to_html``, ``to_markdown``).
- :func:`infer_spec` writes a :class:`DataSpec` from reference data; edit it,
  save it as JSON, and ``validate`` new batches against it.
- :func:`inject_defects` damages a table and logs exactly what it did, so every
  measure can be checked against the truth.
- :class:`QualityGate` refuses data (and model fitting) that misses its thresholds;
  :class:`QualityGateStep` is the same gate as a scikit-learn pipeline step.
- :func:`find_label_issues` flags likely wrong labels from cross-validated
  probabilities (confident learning).
"""

from lifecycle_kit.quality.assessment import MeasureResult, QualityReport, assess, missing_values
from lifecycle_kit.quality.defects import DEFECT_KINDS, DefectLog, inject_defects
from lifecycle_kit.quality.gate import GateResult, QualityGate
from lifecycle_kit.quality.information import mutual_information_table
from lifecycle_kit.quality.label_noise import LabelIssues, cross_val_probabilities, find_label_issues
from lifecycle_kit.quality.measures import MEASURES, measure_table
from lifecycle_kit.quality.spec import ColumnSpec, DataSpec, Rule, Violation, infer_spec, violations_table

__all__ = [
    "DEFECT_KINDS",
    "DefectLog",
    "GateResult",
    "LabelIssues",
    "QualityGate",
    "QualityGateStep",
    "cross_val_probabilities",
    "find_label_issues",
    "inject_defects",
    "mutual_information_table",
    "MEASURES",
    "ColumnSpec",
    "DataSpec",
    "MeasureResult",
    "QualityReport",
    "Rule",
    "Violation",
    "assess",
    "infer_spec",
    "measure_table",
    "missing_values",
    "violations_table",
]


def __getattr__(name):
    # The pipeline step subclasses scikit-learn's BaseEstimator: load scikit-learn only when it is used.
    if name == "QualityGateStep":
        from lifecycle_kit.quality.gate_step import QualityGateStep

        return QualityGateStep
    raise AttributeError(f"module 'lifecycle_kit.quality' has no attribute {name!r}")


def __dir__():
    # Tab completion lists the lazy name too, without loading it.
    return sorted(set(globals()) | {"QualityGateStep"})
