"""Drift: shift simulation, two-sample tests, stream detectors, deployment checks and monitoring.

- :func:`compare` -> :class:`DriftReport`: per column a test chosen by type and size
  (KS or chi-square on small references; normalised Wasserstein or Jensen-Shannon
  on large ones; PSI and Cramér-von Mises by name), multiple-testing corrections,
  one severity scale, a sentence per drifted column, self-contained HTML.
- :func:`domain_classifier`: can a model tell the batches apart? AUC with an interval,
  attributions with correlation warnings.
- stream detectors: :class:`PageHinkley`, :class:`DDM`, :class:`ADWIN`.
- simulation: :func:`make_stream`, :func:`covariate_shift`, :func:`prior_shift`, :func:`serving_bug`.
- deployment: :class:`DeploymentExperiment`, :func:`trigger_scan`.
- monitoring: :class:`StreamMonitor`, :func:`compare_policies`.
"""

from lifecycle_kit.drift.compare import CORRECTIONS, METHODS, DriftReport, compare
from lifecycle_kit.drift.deployment import DeploymentCheck, DeploymentExperiment, seattle_features, trigger_scan
from lifecycle_kit.drift.detectors import ADWIN, DDM, DETECTORS, PageHinkley, detection_delays, make_detector
from lifecycle_kit.drift.domain import DomainClassifierResult, domain_classifier
from lifecycle_kit.drift.monitoring import POLICIES, MonitoringResult, StreamMonitor, compare_policies
from lifecycle_kit.drift.simulate import (
                                          DRIFT_KINDS,
                                          PATTERNS,
                                          SERVING_BUGS,
                                          DriftStream,
                                          covariate_shift,
                                          make_stream,
                                          prior_shift,
                                          serving_bug,
)
from lifecycle_kit.drift.statistics import STATISTICS, psi_from_counts, severity

__all__ = [
    "ADWIN", "CORRECTIONS", "DDM", "DETECTORS", "DRIFT_KINDS", "DeploymentCheck", "DeploymentExperiment",
    "DomainClassifierResult", "DriftReport", "DriftStream", "METHODS", "MonitoringResult", "PATTERNS", "POLICIES",
    "PageHinkley", "SERVING_BUGS", "STATISTICS", "StreamMonitor", "compare", "compare_policies", "covariate_shift",
    "detection_delays", "domain_classifier", "make_detector", "make_stream", "prior_shift", "psi_from_counts",
    "seattle_features", "serving_bug", "severity", "trigger_scan",
]
