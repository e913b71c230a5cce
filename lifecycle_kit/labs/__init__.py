"""Interactive labs: ipywidgets over the core, one class per lab.

Each lab owns its ``controls`` (a dict of widgets), an ``output`` and a
``summary``; ``update()`` reads the controls, calls the core and stores
``result``. Display a lab by leaving it as the last expression of a cell.

Labs import ipywidgets, so this package is only imported where widgets are
wanted (notebooks, tests); the core never imports it.
"""

import importlib

_LABS = {
    "Lab": "base",
    "LifecycleMap": "lifecycle_map",
    "DatasetExplorer": "dataset_explorer",
    "SelfCheck": "self_check",
    "SpecLab": "spec_lab",
    "QualityLab": "quality_lab",
    "ExpertPanelLab": "expert_panel_lab",
    "QualityGateLab": "quality_gate_lab",
    "PoisoningLab": "poisoning_lab",
    "BackdoorLab": "backdoor_lab",
    "DefenceLab": "defence_lab",
    "ServingBugLab": "serving_bug_lab",
    "DriftLab": "drift_lab",
    "MonitoringLab": "monitoring_lab",
    "SourceRegistryLab": "conception_labs",
    "RelevanceLab": "conception_labs",
    "QualityPriorityLab": "planning_labs",
    "CollapseLab": "planning_labs",
    "ArchiveLab": "decommission_labs",
    "DecommissionLab": "decommission_labs",
    "LinkageLab": "platform_lab",
    "ProgressLab": "progress_lab",
    "AssessmentForm": "assessment_form",
    "EarlierStages": "earlier_stages",
}

__all__ = sorted(_LABS)


def __getattr__(name):
    if name in _LABS:
        module = importlib.import_module(f"lifecycle_kit.labs.{_LABS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'lifecycle_kit.labs' has no attribute {name!r}")


def __dir__():
    return __all__
