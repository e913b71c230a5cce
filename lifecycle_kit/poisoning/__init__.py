"""Data poisoning: attacks on training data, defences, and experiments that measure both.

Taxonomy after NIST AI 100-2 (availability, targeted and backdoor poisoning),
OWASP ML02 (data poisoning attack) and MITRE ATLAS AML.T0020 (poison training
data); defences after ATLAS M0007 (sanitise training data) and M0025 (maintain
dataset provenance).

- attacks: :func:`flip_labels` (random, targeted, boundary), :func:`add_trigger`
  and :func:`apply_trigger` (backdoor), :func:`compromise_source`
- defences: :func:`find_suspicious` (label_noise, knn, outlier, provenance, roni),
  :func:`source_impact`
- experiments: :class:`PoisoningExperiment`, :func:`poisoning_curve`
- acquisition with integrity: :func:`acquire_sources`, :func:`load_verified_sources`
"""

from lifecycle_kit.poisoning.attacks import (
                                             FLIP_STRATEGIES,
                                             PixelPatch,
                                             ValuePattern,
                                             add_trigger,
                                             apply_trigger,
                                             default_pattern,
                                             flip_labels,
)
from lifecycle_kit.poisoning.defences import DEFENCES, find_suspicious, roni, source_impact
from lifecycle_kit.poisoning.experiment import (
                                             ATTACKS,
                                             PoisoningCurve,
                                             PoisoningExperiment,
                                             PoisonTrial,
                                             attack_success_rate,
                                             detection_scores,
                                             per_class_recall,
                                             poisoning_curve,
)
from lifecycle_kit.poisoning.sources import (
                                             AcquiredData,
                                             acquire_sources,
                                             compromise_source,
                                             load_verified_sources,
                                             split_sources,
)

__all__ = [
    "ATTACKS", "DEFENCES", "FLIP_STRATEGIES", "AcquiredData", "PixelPatch", "PoisonTrial", "PoisoningCurve",
    "PoisoningExperiment", "ValuePattern", "acquire_sources", "add_trigger", "apply_trigger", "attack_success_rate",
    "compromise_source", "default_pattern", "detection_scores", "find_suspicious", "flip_labels",
    "load_verified_sources", "per_class_recall", "poisoning_curve", "roni", "source_impact", "split_sources",
]
