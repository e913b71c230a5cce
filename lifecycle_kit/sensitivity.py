"""Sensitivity classes: plan confidentiality and destruction for everything that holds the data.

Zatsarinny and Gavrilov ask, already at data planning, for protection of the
data's confidentiality wherever the law requires it — "not only personal
data" — and for the technology of its guaranteed destruction to be settled
with its storage terms, according to its significance and confidentiality
(stage 3 of their paper; at stages 9 and 10 destruction follows the data's
degree of secrecy and reaches every memory element that held it).

A plan written as data can be checked before anything is stored. Every asset
of the plan — raw files, backups, feature tables, models, logs — gets a
sensitivity class, and whatever is derived from an asset *inherits* its class
(stage 10 shows a model holding its training rows): its class is the highest
of its own and its inputs'. The class decides the weakest acceptable
destruction method.

The classes and the class-to-method policy here are the course's example,
ordered like the levels of NIST SP 800-88 Rev. 1 (clear, purge, destroy, with
ordinary deletion below them; cryptographic erase counts as purge). A real
project takes its classes from the law that applies (in Russia, for example,
a commercial secret, official information of restricted distribution, a state
secret, besides personal data) and its methods from its own policy.

Examples
--------
>>> plan = [{"asset": "trips", "sensitivity": "confidential", "destruction": "purge"},
...         {"asset": "model", "derived_from": ["trips"], "destruction": "delete"}]
>>> checked = check_sensitivity_plan(plan)
>>> checked.too_weak
['model']
>>> checked.table.set_index("asset").loc["model", ["sensitivity", "required"]].tolist()
['confidential', 'purge']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

__all__ = ["DESTRUCTION_METHODS", "DESTRUCTION_POLICY", "SENSITIVITY_CLASSES", "SensitivityPlan",
           "check_sensitivity_plan", "example_sensitivity_plan"]

#: The course's example classes, least sensitive first.
SENSITIVITY_CLASSES = ("open", "internal", "confidential", "secret")
#: Destruction methods, weakest first (NIST SP 800-88 Rev. 1's levels, ordinary deletion below them).
DESTRUCTION_METHODS = ("delete", "clear", "purge", "destroy")
#: Other names accepted for a method: cryptographic erase is a purge technique in NIST SP 800-88 Rev. 1.
METHOD_ALIASES = {"crypto-erase": "purge", "crypto-shred": "purge", "overwrite": "clear"}
#: The course's example policy: the weakest acceptable method for each class.
DESTRUCTION_POLICY = {"open": "delete", "internal": "clear", "confidential": "purge", "secret": "destroy"}


# As a reader of the notebook reads them (lifecycle_kit.display); the plan and its table keep the English keys.
CLASS_LABELS = {"open": N_("open"), "internal": N_("internal use only"), "confidential": N_("confidential"),
                "secret": N_("secret")}
METHOD_LABELS = {"delete": N_("delete"), "clear": N_("clear"), "purge": N_("purge"), "destroy": N_("destroy"),
                 "crypto-erase": N_("crypto-erase"), "crypto-shred": N_("crypto-shred"), "overwrite": N_("overwrite")}
EXAMPLE_ASSETS = {"trip records": N_("trip records"), "weather feed": N_("weather feed"),
                  "nightly backup of trips": N_("nightly backup of trips"), "hourly counts": N_("hourly counts"),
                  "training table": N_("training table"), "demand model": N_("demand model"),
                  "serving logs": N_("serving logs")}
vocabulary(headings={"asset": N_("asset"), "derived_from": N_("derived from"), "own_class": N_("own class"),
                     "sensitivity": N_("sensitivity class"), "inherited_from": N_("inherited from"),
                     "required": N_("required method"), "planned": N_("planned method"), "ok": N_("enough")},
           values={"asset": EXAMPLE_ASSETS, "derived_from": EXAMPLE_ASSETS, "inherited_from": EXAMPLE_ASSETS,
                   "own_class": CLASS_LABELS, "sensitivity": CLASS_LABELS, "required": METHOD_LABELS,
                   "planned": METHOD_LABELS})


def _rank(value, order, what, asset):
    if value not in order:
        raise LifecycleKitError(_("{asset}: {what} must be one of {choices}; got {value!r}", asset=asset, what=what,
                                  choices=", ".join(order), value=value))
    return order.index(value)


@dataclass
class SensitivityPlan:
    """A storage and destruction plan, checked.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per asset: ``asset, derived_from, own_class`` (as planned), ``sensitivity`` (the class
        it holds, inherited through ``derived_from``), ``inherited_from`` (the input that gave it that
        class, if not its own), ``required`` (the weakest acceptable method), ``planned``, ``ok``.
    """

    table: pd.DataFrame

    @property
    def too_weak(self) -> list[str]:
        """The assets whose planned destruction is weaker than their class requires, in plan order."""
        return self.table.loc[~self.table["ok"], "asset"].tolist()

    def summary(self) -> Lines:
        """Which assets' planned destruction is too weak for the class they hold, in the reader's language."""
        if not self.too_weak:
            return Lines([N_("Every asset's planned destruction is strong enough for the class it holds.")])
        names = ", ".join(_(EXAMPLE_ASSETS[a]) if a in EXAMPLE_ASSETS else a for a in self.too_weak)
        return Lines([N_("Planned destruction weaker than the class of the data the asset holds: {assets}.",
                         assets=names)])

    def _repr_html_(self):
        return View(self.summary(), Table(self.table, good=("ok",)))._repr_html_()


def check_sensitivity_plan(plan: list[dict[str, Any]], *, policy: dict[str, str] | None = None) -> SensitivityPlan:
    """Give every asset of a plan the class it holds and check its destruction method against the policy.

    Parameters
    ----------
    plan : list of dict
        Each with ``asset`` (a unique name), ``destruction`` (a method of :data:`DESTRUCTION_METHODS` or
        :data:`METHOD_ALIASES`) and optionally ``sensitivity`` (its own class, one of
        :data:`SENSITIVITY_CLASSES`; "open" when absent) and ``derived_from`` (names of the assets it was
        made from).
    policy : dict, default=None
        Class -> weakest acceptable method; :data:`DESTRUCTION_POLICY` when not given.

    Returns
    -------
    SensitivityPlan

    Raises
    ------
    LifecycleKitError
        On an unknown class or method, a duplicate or unknown asset name, or a cycle of derivations.
    """
    policy = dict(DESTRUCTION_POLICY if policy is None else policy)
    for cls, method in policy.items():
        _rank(cls, SENSITIVITY_CLASSES, "a policy's class", "policy")
        _rank(METHOD_ALIASES.get(method, method), DESTRUCTION_METHODS, "a policy's method", "policy")
    if not isinstance(plan, (list, tuple)):
        raise LifecycleKitError(f"plan must be a list of dicts, one per asset; got {type(plan).__name__}")
    by_name = {}
    for i, entry in enumerate(plan):
        if not isinstance(entry, dict) or not entry.get("asset"):
            raise LifecycleKitError(_("plan entry {i} has no 'asset' name", i=i))
        if entry["asset"] in by_name:
            raise LifecycleKitError(_("asset {asset!r} appears twice in the plan", asset=entry["asset"]))
        by_name[entry["asset"]] = entry
    for name, entry in by_name.items():
        for source in entry.get("derived_from") or []:
            if source not in by_name:
                raise LifecycleKitError(_("{asset}: derived from {source!r}, which is not in the plan", asset=name,
                                          source=source))

    resolved = {}

    def holds(name, path=()):
        if name in path:
            raise LifecycleKitError(_("the plan derives {asset!r} from itself: {cycle}", asset=name,
                                      cycle=" -> ".join([*path, name])))
        if name not in resolved:
            entry = by_name[name]
            own = entry.get("sensitivity") or "open"
            best = (_rank(own, SENSITIVITY_CLASSES, "sensitivity", name), None)
            for source in entry.get("derived_from") or []:
                rank = holds(source, (*path, name))[0]
                if rank > best[0]:
                    best = (rank, source)
            resolved[name] = best
        return resolved[name]

    rows = []
    for name, entry in by_name.items():
        rank, inherited_from = holds(name)
        cls = SENSITIVITY_CLASSES[rank]
        required = METHOD_ALIASES.get(policy.get(cls, "delete"), policy.get(cls, "delete"))
        planned = str(entry.get("destruction"))
        planned_rank = _rank(METHOD_ALIASES.get(planned, planned), DESTRUCTION_METHODS, "destruction", name)
        rows.append({"asset": name, "derived_from": ", ".join(entry.get("derived_from") or []),
                     "own_class": entry.get("sensitivity") or "open", "sensitivity": cls,
                     "inherited_from": inherited_from or "", "required": required, "planned": planned,
                     "ok": planned_rank >= DESTRUCTION_METHODS.index(required)})
    return SensitivityPlan(table=pd.DataFrame(rows))


def example_sensitivity_plan() -> list[dict[str, Any]]:
    """A bike-sharing operator's plan: no personal data in it, and still confidential assets.

    The trip records (the operator's commercial information, with no rider
    named in them) are confidential; the weather feed is open. Everything made
    from the trips — a backup, hourly counts, a training table, the model,
    serving logs that record the counts served — holds their information, and
    so their class.

    >>> check_sensitivity_plan(example_sensitivity_plan()).too_weak
    ['nightly backup of trips', 'training table', 'demand model', 'serving logs']
    """
    return [
        {"asset": "trip records", "sensitivity": "confidential", "destruction": "purge"},
        {"asset": "weather feed", "sensitivity": "open", "destruction": "delete"},
        {"asset": "nightly backup of trips", "derived_from": ["trip records"], "destruction": "delete"},
        {"asset": "hourly counts", "derived_from": ["trip records"], "destruction": "crypto-erase"},
        {"asset": "training table", "derived_from": ["hourly counts", "weather feed"], "sensitivity": "internal",
         "destruction": "clear"},
        {"asset": "demand model", "derived_from": ["training table"], "destruction": "delete"},
        {"asset": "serving logs", "derived_from": ["hourly counts", "weather feed"], "sensitivity": "internal",
         "destruction": "overwrite"},
    ]
