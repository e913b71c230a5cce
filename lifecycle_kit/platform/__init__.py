"""A data platform fusing several sources: the capstone's building blocks.

- :func:`agency_sources` — four inconsistent sources cut from the Palmer penguins records, with the truth
  (and, on request, one poisoned source and a trusted audit sample);
- :func:`standardise` / :func:`unified_spec` — one specification for all;
- :func:`link_records` — blocking, similarity, clustering; precision and recall against the truth;
  :func:`label_conflicts` — what the other sources say about the same entity;
- :func:`apply_tags` — a category scheme of editable rules, with coverage and conflicts;
- :class:`AccessLayer` — role scopes, refusals, and a hash-chained audit log whose tampering is detected;
- :func:`inference_risk` / :func:`scope_except` / :func:`compare_scope_designs` — what a role can infer about
  the fields its scope hides, under one design of scopes or several;
- :func:`record_conflicts` / :func:`review_sample` / :func:`score_review` — a person reviews flagged records;
- :func:`incoming_batches` / :func:`monitor_sources` — operation: batches arrive, each source is monitored.
"""

from lifecycle_kit.platform import investigation as _report_texts  # noqa: F401  (the capstone tables' headings)
from lifecycle_kit.platform.access import AccessDenied, AccessLayer, AuditCheckpoint, AuditLog, Scope
from lifecycle_kit.platform.inference import compare_scope_designs, inference_risk, scope_except
from lifecycle_kit.platform.linkage import Linkage, jaro_winkler, label_conflicts, link_records, similarity
from lifecycle_kit.platform.operation import MEASUREMENTS, incoming_batches, monitor_sources
from lifecycle_kit.platform.review import label_is_wrong, record_conflicts, review_sample, score_review
from lifecycle_kit.platform.sources import POISONABLE, SOURCE_NAMES, AgencyData, agency_sources
from lifecycle_kit.platform.standardise import MAPPINGS, UNIFIED_COLUMNS, standardise, standardise_all, unified_spec
from lifecycle_kit.platform.tagging import DEFAULT_EXCLUSIVE, DEFAULT_RULES, TagResult, apply_tags

__all__ = ["DEFAULT_EXCLUSIVE", "DEFAULT_RULES", "MAPPINGS", "MEASUREMENTS", "POISONABLE", "SOURCE_NAMES",
           "UNIFIED_COLUMNS", "AccessDenied", "AccessLayer", "AgencyData", "AuditCheckpoint", "AuditLog", "Linkage",
           "Scope", "TagResult",
           "agency_sources", "apply_tags", "compare_scope_designs", "incoming_batches", "inference_risk",
           "jaro_winkler", "label_conflicts", "label_is_wrong", "link_records", "monitor_sources", "record_conflicts",
           "review_sample", "scope_except", "score_review", "similarity", "standardise", "standardise_all", "unified_spec"]
