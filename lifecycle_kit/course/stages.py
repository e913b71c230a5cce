"""The ten stages of the data life cycle (ISO/IEC 8183:2023) and the course capstone.

Each :class:`Stage` says what the standard's stage covers, what security practice
the course asks for there (after Zatsarinny and Gavrilov, "Systems-engineering
approaches to ensuring the safety of AI systems with regard to the quality of
data for machine learning", FRC "Computer Science and Control" of the Russian
Academy of Sciences), what goes wrong when it
is skipped, which threat catalogues describe the attack, and which notebook
teaches it. The README's course map is generated from this table
(:func:`course_map_markdown`) and a test keeps the two identical.

Examples
--------
>>> from lifecycle_kit.course.stages import get_stage, list_stages
>>> len(list_stages())
11
>>> get_stage(4).name
'Data acquisition'
>>> get_stage("decommissioning-data").notebook
'09_data_decommissioning.ipynb'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GOST", "ISO", "PAPER", "Stage", "course_map_markdown", "get_stage", "list_stages", "stages_frame"]

ISO = "ISO/IEC 8183:2023"
GOST = "GOST R 70889-2023"
#: The paper whose per-stage recommendations the course's practice follows.
PAPER = ("Zatsarinny and Gavrilov, \"Systems-engineering approaches to ensuring the safety of AI systems with regard "
         "to the quality of data for machine learning\", FRC \"Computer Science and Control\" of the Russian Academy "
         "of Sciences")


@dataclass(frozen=True)
class Stage:
    """One stage of the data life cycle, as the course teaches it.

    Attributes
    ----------
    number : int
        1 to 10 for the stages of ISO/IEC 8183; 11 for the capstone.
    key : str
        Short stable identifier (``"acquisition"``), usable in code and URLs.
    name : str
        The stage's name in ISO/IEC 8183.
    iso_reference, gost_reference : str
        Where the stage is described. GOST R 70889-2023, designated
        "ГОСТ Р 70889-2023 (ИСО/МЭК 8183:2023)", is the Russian adoption of
        ISO/IEC 8183:2023; it is a *modified* adoption, so its text differs
        from the international one.
    summary : str
        What happens to data at this stage, in one sentence.
    practice : tuple of str
        What the course asks an engineer to do here.
    risks : tuple of str
        What goes wrong for safety when the practice is skipped.
    threats : tuple of str
        Entries of NIST AI 100-2, OWASP ML Top 10 and MITRE ATLAS that apply.
    standards : tuple of str
        Further standards and papers to read.
    notebook : str
        File name of the stage notebook in ``notebooks/``.
    labs : tuple of str
        Names of the labs the notebook uses.
    you_will_see : str
        The one thing a learner sees happen in the notebook.
    """

    number: int
    key: str
    name: str
    summary: str
    practice: tuple[str, ...] = field(default_factory=tuple)
    risks: tuple[str, ...] = field(default_factory=tuple)
    threats: tuple[str, ...] = field(default_factory=tuple)
    standards: tuple[str, ...] = field(default_factory=tuple)
    notebook: str = ""
    labs: tuple[str, ...] = field(default_factory=tuple)
    you_will_see: str = ""

    @property
    def is_capstone(self):
        return self.number == 11

    @property
    def iso_reference(self):
        if self.is_capstone:
            return f"{ISO}, all stages"
        return f"{ISO}, stage {self.number} of 10: {self.name}"

    @property
    def gost_reference(self):
        if self.is_capstone:
            return f"{GOST}, all stages"
        return f"{GOST}, the Russian adoption (modified) of {ISO}, stage {self.number}"

    @property
    def label(self):
        """``"4. Data acquisition"``, or ``"Capstone: ..."``."""
        return f"Capstone: {self.name}" if self.is_capstone else f"{self.number}. {self.name}"


_STAGES = (
    Stage(
        number=1,
        key="conception",
        name="Idea conception",
        summary=N_("Decide what the AI system is for, which data the task needs, and from which sources."),
        practice=(
            N_("Inventory the data the task needs and the sources that could supply it."),
            N_("Record a trust level for every source before any data is taken from it."),
            N_("Screen candidate features for relevance before a model exists; question leaky identifiers."),
            N_("Ask whether AI is warranted at all when these answers are hard to give."),
        ),
        risks=(
            N_("An untrusted source becomes the easiest way in for an attacker."),
            N_("A leaky column (an identifier that encodes the label) makes a model look perfect and fail in use."),
            N_("Irrelevant features add noise and attack surface without adding skill."),
        ),
        threats=("OWASP ML06 AI supply chain attacks", "MITRE ATLAS AML.T0019 Publish poisoned datasets"),
        standards=("ISO/IEC 5259-2 (relevance)", "ISO/IEC 22989 (AI concepts)"),
        notebook="01_conception.ipynb",
        labs=("SourceRegistryLab", "RelevanceLab"),
        you_will_see=N_("A pure-noise column and a leaky identifier stand out before any model is trained."),
    ),
    Stage(
        number=2,
        key="requirements",
        name="Business requirements",
        summary=N_("Write down what the data must look like and which integrity and availability it needs."),
        practice=(
            N_("Write a data specification: format, structure, value domains, distributions."),
            N_("State whether drift over time is possible and on what it depends."),
            N_("Require integrity and availability even when nothing in the data is confidential."),
        ),
        risks=(
            N_("Without a specification, corrupted or substituted batches cannot be told from good ones."),
            N_("A specification that is too tight raises false alarms and gets switched off."),
        ),
        threats=("OWASP ML08 Model skewing", "NIST AI 100-2 availability poisoning"),
        standards=("ISO/IEC 5259-2 (accuracy, consistency)", "ISO/IEC 25012 (data quality model)"),
        notebook="02_business_requirements.ipynb",
        labs=("SpecLab",),
        you_will_see=N_("Violations grow with the corruption rate; a too-tight specification raises false alarms."),
    ),
    Stage(
        number=3,
        key="planning",
        name="Data planning",
        summary=N_("Plan trust, integrity and availability protection for the whole life cycle."),
        practice=(
            N_("Remember that a borrowed dataset was verified for its owner's purposes, not yours."),
            N_("Rank the ISO/IEC 5259-2 quality characteristics by importance for the task."),
            N_("Decide on synthetic data with care: models trained on generated data degrade."),
            N_("Fix storage terms and a guaranteed destruction method in advance."),
        ),
        risks=(
            N_("Choosing a dataset by the wrong quality priorities."),
            N_("Model collapse when generated data replaces real data generation after generation."),
        ),
        threats=("NIST AI 100-2 data poisoning (supply chain)",),
        standards=(
            "ISO/IEC 5259-2",
            "Shumailov et al. 2023, The Curse of Recursion",
            "Gerstgrasser et al. 2024, Is Model Collapse Inevitable?",
        ),
        notebook="03_data_planning.ipynb",
        labs=("QualityPriorityLab", "CollapseLab"),
        you_will_see=N_("Two datasets swap rank as quality weights move; a distribution collapses when refitted on its own samples."),
    ),
    Stage(
        number=4,
        key="acquisition",
        name="Data acquisition",
        summary=N_("Collect data from the planned sources and record where every piece came from."),
        practice=(
            N_("Check trust in each source and record provenance at ingestion."),
            N_("Control integrity from the very first step, even for public datasets: a signed manifest."),
            N_("Avoid synthetic data where possible; collect by the priority characteristics."),
        ),
        risks=(
            N_("Targeted poisoning through one compromised source."),
            N_("A backdoor trigger that clean-accuracy monitoring cannot see."),
        ),
        threats=(
            "NIST AI 100-2 availability, targeted and backdoor poisoning",
            "OWASP ML02 Data poisoning attack",
            "MITRE ATLAS AML.T0020 Poison training data",
            "MITRE ATLAS M0025 Maintain AI dataset provenance",
        ),
        standards=("PNST 847-2023 (data provenance)", "ISO/IEC 5259-2 (credibility)"),
        notebook="04_data_acquisition.ipynb",
        labs=("PoisoningLab", "BackdoorLab"),
        you_will_see=N_("A backdoor in a few percent of the rows succeeds almost always while clean accuracy barely moves."),
    ),
    Stage(
        number=5,
        key="preparation",
        name="Data preparation",
        summary=N_("Clean, label, transform and assess the data: the largest single contribution to quality."),
        practice=(
            N_("Describe every feature carefully: the risk of losing cause and effect is highest here."),
            N_("Have experts assess quality against thresholds, on data restored to its primary form."),
            N_("Aggregate expert scores with their agreement in mind: trim extremes, weight by qualification."),
            N_("Keep an independent test set prepared by independent experts."),
            N_("Beware pretrained networks used for labelling: their errors add up."),
        ),
        risks=(
            N_("Disguised missing values (\"?\") and duplicates pass unnoticed."),
            N_("Label noise and near-duplicates across the split inflate test accuracy."),
            N_("One careless or adversarial expert drags a mean score."),
        ),
        threats=("NIST AI 100-2 dirty-label poisoning", "MITRE ATLAS M0007 Sanitize training data"),
        standards=("ISO/IEC 5259-2", "GOST R 71484.2-2024", "Northcutt et al. 2021, Confident Learning"),
        notebook="05_data_preparation.ipynb",
        labs=("QualityLab", "ExpertPanelLab"),
        you_will_see=N_("Label-noise detection finds most flipped labels; the median resists an adversarial expert."),
    ),
    Stage(
        number=6,
        key="modelling",
        name="Building a model",
        summary=N_("Train and evaluate the model on data that has passed its quality requirements."),
        practice=(
            N_("Assess data quality (with ISO/IEC 5259-2's measures) before building any model: Zatsarinny and "
            "Gavrilov recommend it for every system, noting that the life-cycle standard requires it only for AI "
            "systems linked to public safety."),
            N_("Refuse to train on data that misses its thresholds (a quality gate), with the reasons."),
            N_("Test defences against poisoning: label-noise filtering, outlier removal, per-source impact."),
        ),
        risks=(
            N_("Training on data that misses its requirements wastes money and time and ships a weaker model."),
            N_("A single defence gives false comfort: each recovers part of the damage, none all of it."),
        ),
        threats=("OWASP ML02 Data poisoning attack", "MITRE ATLAS M0007 Sanitize training data"),
        standards=("ISO/IEC 5259-2", "GOST R 59898-2021 (quality of AI systems)"),
        notebook="06_model_building.ipynb",
        labs=("QualityGateLab", "DefenceLab"),
        you_will_see=N_("The gate blocks a bad set with a readable reason; defences recover part of the damage."),
    ),
    Stage(
        number=7,
        key="deployment",
        name="System deployment",
        summary=N_("Put the trained system into service and verify it works on real inputs."),
        practice=(
            N_("Check that input formats from sensors and other sources match those used in training."),
            N_("Run functional-safety checks by a programme and method; include a backdoor trigger test."),
            N_("Verify and validate the software, knowing a trained model cannot be fully explained."),
        ),
        risks=(
            N_("A unit change (x1000, degrees C to F) passes type checks and silently breaks predictions."),
            N_("Swapped or missing columns at serving time."),
        ),
        threats=("OWASP ML08 Model skewing", "MITRE ATLAS M0014 Verify AI artifacts"),
        standards=("ISO/IEC 5259-2 (portability)", "GOST R 59898-2021"),
        notebook="07_system_deployment.ipynb",
        labs=("ServingBugLab",),
        you_will_see=N_("A unit bug passes the type check but the distribution tests flag it as accuracy collapses."),
    ),
    Stage(
        number=8,
        key="operation",
        name="System operation",
        summary=N_("Run the system, monitor its inputs and performance, and retrain when needed."),
        practice=(
            N_("Monitor continuously for performance falling below its threshold and the need to retrain."),
            N_("Fix the monitoring criteria already at model building."),
            N_("Watch the format and character of the input data, not only accuracy."),
        ),
        risks=(
            N_("Concept drift is invisible to input tests and visible only in errors."),
            N_("With large samples, p-values flag trivial shifts and alarms are ignored."),
        ),
        threats=("OWASP ML08 Model skewing", "NIST AI 100-2 poisoning during operation (online learning)"),
        standards=("ISO/IEC 5259-2 (currentness)", "Gama et al. 2014, A survey on concept drift adaptation"),
        notebook="08_system_operation.ipynb",
        labs=("DriftLab", "MonitoringLab"),
        you_will_see=N_("Detection delay trades against false alarms; a model trained on winter fails by summer."),
    ),
    Stage(
        number=9,
        key="decommissioning-data",
        name="Data decommissioning",
        summary=N_("Archive the data that must be kept, with its history, and destroy the rest."),
        practice=(
            N_("Keep with archived data its service information: source, formats, labelling, synthetic parts, uses."),
            N_("Sign the archive and keep the signature valid for the whole storage term (rotate keys)."),
            N_("Choose destruction methods by sensitivity, covering every memory element that held the data."),
        ),
        risks=(
            N_("An archive without a datasheet cannot be audited or safely reused."),
            N_("An unsigned archive can be altered without anyone noticing."),
        ),
        threats=("MITRE ATLAS M0014 Verify AI artifacts", "MITRE ATLAS M0025 Maintain AI dataset provenance"),
        standards=("Gebru et al. 2021, Datasheets for Datasets", "W3C PROV-O", "NIST SP 800-88 Rev. 1"),
        notebook="09_data_decommissioning.ipynb",
        labs=("ArchiveLab",),
        you_will_see=N_("One changed byte fails verification and is located to its row; a shredded key leaves data unrecoverable."),
    ),
    Stage(
        number=10,
        key="decommissioning-system",
        name="System decommissioning",
        summary=N_("Retire the system and clear every element that may hold its data."),
        practice=(
            N_("Inventory every artefact that holds data: files, caches, logs, derived features, models."),
            N_("Clear each by sensitivity (NIST SP 800-88: clear, purge, destroy) and rescan."),
            N_("Backups, caches and logs are data stores too: purge them with the rest and rescan."),
            N_("Secure the supporting infrastructure: the physical infrastructure the AI system relies on (a "
            "self-driving vehicle is only as safe as the road infrastructure is secured)."),
        ),
        risks=(
            N_("Purging files but not models, caches and logs leaves the data recoverable."),
            N_("A fitted model leaks membership of its training rows."),
        ),
        threats=("OWASP ML04 Membership inference attack", "NIST AI 100-2 privacy attacks"),
        standards=("NIST SP 800-88 Rev. 1", "Yeom et al. 2018, Privacy Risk in Machine Learning (membership "
                   "inference by a confidence threshold)", "Shokri et al. 2017, Membership Inference Attacks "
                   "(shadow models)"),
        notebook="10_system_decommissioning.ipynb",
        labs=("DecommissionLab",),
        you_will_see=N_("A purge that skips the models leaves residue a rescan finds; membership inference beats chance."),
    ),
    Stage(
        number=11,
        key="capstone",
        name="Many sources, one system",
        summary=N_("A platform that fuses several sources is only as good as its worst source."),
        practice=(
            N_("Standardise every source to one specification; link and deduplicate across sources."),
            N_("Assess quality per source; grant read scopes per role with an audit trail."),
            N_("Find the poisoned source by its impact; monitor each source for drift."),
        ),
        risks=(
            N_("Fragmented data, inconsistent standards and human tagging lower the whole platform's quality."),
            N_("One poisoned source bends what the platform learns."),
        ),
        threats=("OWASP ML02 Data poisoning attack", "MITRE ATLAS AML.T0020 Poison training data"),
        standards=("ISO/IEC 8183:2023 (whole life cycle)", "ISO/IEC 5259-2"),
        notebook="11_capstone_multi_source.ipynb",
        labs=("LinkageLab",),
        you_will_see=(N_("A poisoned agency is named by what the other sources say about the same birds; a scale fault "
                      "in one source trips its own monitor; all of it ends in a lifecycle report.")),
    ),
)

_BY_KEY = {s.key: s for s in _STAGES}
_BY_NUMBER = {s.number: s for s in _STAGES}


def list_stages(*, include_capstone: bool = True) -> list[Stage]:
    """All stages in order.

    Parameters
    ----------
    include_capstone : bool, default=True
        Whether to append the capstone (number 11) after the ten stages.

    Returns
    -------
    list of Stage
    """
    return [s for s in _STAGES if include_capstone or not s.is_capstone]


def get_stage(stage: int | str | Stage) -> Stage:
    """Look a stage up by number (``4``), key (``"acquisition"``) or name.

    Raises
    ------
    LifecycleKitError
        If no stage matches; the message lists the valid keys.
    """
    if isinstance(stage, Stage):
        return stage
    if isinstance(stage, int) and not isinstance(stage, bool) and stage in _BY_NUMBER:
        return _BY_NUMBER[stage]
    if isinstance(stage, str):
        text = stage.strip()
        if text.isdigit() and int(text) in _BY_NUMBER:
            return _BY_NUMBER[int(text)]
        if text.lower() in _BY_KEY:
            return _BY_KEY[text.lower()]
        for s in _STAGES:
            if s.name.lower() == text.lower():
                return s
    keys = ", ".join(s.key for s in _STAGES)
    raise LifecycleKitError(_("stage {stage} not found; use a number 1-11 or one of: {keys}", stage=repr(stage), keys=keys))


def stages_frame() -> pd.DataFrame:
    """The stage table as a pandas DataFrame (one row per stage).

    >>> stages_frame().loc[0, "notebook"]
    '01_conception.ipynb'
    """
    import pandas as pd

    rows = [
        {
            "number": s.number,
            "key": s.key,
            "name": s.name,
            "iso_reference": s.iso_reference,
            "gost_reference": s.gost_reference,
            "practice": " ".join(s.practice),
            "risks": " ".join(s.risks),
            "threats": "; ".join(s.threats),
            "notebook": s.notebook,
            "you_will_see": s.you_will_see,
        }
        for s in _STAGES
    ]
    return pd.DataFrame(rows)


def course_map_markdown() -> str:
    """The README's course map: stage, notebook, what you will see.

    >>> print(course_map_markdown().splitlines()[0])
    | Stage | Notebook | What you will see |
    """
    lines = ["| Stage | Notebook | What you will see |", "|---|---|---|"]
    lines.append(
        "| Start here: how the course works | [`00_start_here.ipynb`](notebooks/00_start_here.ipynb) "
        "| The life-cycle map and the datasets, with their licences |"
    )
    for s in _STAGES:
        lines.append(f"| {s.label} | [`{s.notebook}`](notebooks/{s.notebook}) | {s.you_will_see} |")
    return "\n".join(lines)
