"""The ten stages of the data life cycle (ISO/IEC 8183:2023) and the course capstone.

Each :class:`Stage` says what the standard's stage covers, what security practice
the course asks for there (after Zatsarinny and Gavrilov's paper, cited as
:data:`~lifecycle_kit.course.citations.PAPER`), which of the paper's three parts of
comprehensive safety — technical, functional, system — each practice serves,
what goes wrong when it is skipped, which threat catalogues describe the
attack, which notebook teaches it, and how long a session on it takes. The
README's course map is generated from this table (:func:`course_map_markdown`)
and a test keeps the two identical; another test holds the notebooks and the
guides to the session lengths here (:func:`session_minutes`).

Examples
--------
>>> from lifecycle_kit.course.stages import get_stage, list_stages
>>> len(list_stages())
11
>>> get_stage(4).name
'Data acquisition'
>>> get_stage("decommissioning-data").notebook
'09_data_decommissioning.ipynb'
>>> get_stage(4).gost_name, get_stage(4).minutes
('Комплектование наборов данных', 100)
>>> sorted(set().union(*get_stage(4).safety))
['functional', 'system', 'technical']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lifecycle_kit.course.citations import PAPER
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATALOGUE_TEXTS", "CLOSING_MINUTES", "GOST", "ISO", "PAPER", "SAFETY", "START_HERE_MINUTES", "Stage",
           "course_map_markdown", "get_stage", "list_stages", "safety_table", "said", "session_minutes", "stages_frame"]

#: The international standard whose data life cycle the course follows.
ISO = "ISO/IEC 8183:2023"
#: Its modified Russian adoption (not identical to it).
GOST = "GOST R 70889-2023"
# The designations as a Russian text writes them (ИСО/МЭК, ГОСТ Р): translate ``ISO`` and ``GOST`` where shown.
N_("ISO/IEC 8183:2023")
N_("GOST R 70889-2023")

#: The paper's three parts of comprehensive safety (its section 1), in its order, with what each is directed at.
SAFETY = {
    "technical": N_("technical safety: the confidentiality, integrity and availability of the information processed "
                    "and stored"),
    "functional": N_("functional safety: the stable and correct performance of the given functions"),
    "system": N_("system safety: the correctness, accuracy and completeness of the statement of the task"),
}
#: The short names shown beside each practice on the lifecycle map.
SAFETY_SHORT = {"technical": N_("technical"), "functional": N_("functional"), "system": N_("system")}

#: Expected time of 00_start_here, in minutes (it is not a stage); the stages carry theirs.
START_HERE_MINUTES = 35
#: Expected time of 12_closing (the post-test and the learner's gain; not a stage either), in minutes.
CLOSING_MINUTES = 30


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
    gost_name : str
        The stage's name in GOST R 70889-2023, as the paper also names it (empty for the capstone).
    practice : tuple of str
        What the course asks an engineer to do here.
    safety : tuple of tuple of str
        For each practice, in the same order, the parts of comprehensive safety it serves (keys of
        :data:`SAFETY`). The paper defines the three parts; assigning them to each practice is the course's
        reading.
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
    minutes : int
        Expected study time of the notebook: the one figure the notebook's Orientation, the learner
        guide and the instructor guide state (a test compares them).
    """

    number: int
    key: str
    name: str
    summary: str
    gost_name: str = ""
    practice: tuple[str, ...] = field(default_factory=tuple)
    safety: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    risks: tuple[str, ...] = field(default_factory=tuple)
    threats: tuple[str, ...] = field(default_factory=tuple)
    standards: tuple[str, ...] = field(default_factory=tuple)
    notebook: str = ""
    labs: tuple[str, ...] = field(default_factory=tuple)
    you_will_see: str = ""
    minutes: int = 0

    def __post_init__(self):
        if len(self.safety) != len(self.practice):
            raise LifecycleKitError(f"stage {self.number}: one safety tuple per practice ({len(self.practice)}), "
                                    f"got {len(self.safety)}")
        unknown = {part for parts in self.safety for part in parts} - set(SAFETY)
        if unknown or not all(self.safety):
            raise LifecycleKitError(f"stage {self.number}: every practice serves one or more of {', '.join(SAFETY)}; "
                                    f"got {self.safety}")

    @property
    def safety_served(self) -> tuple[str, ...]:
        """The parts of comprehensive safety the stage's practices serve, in the paper's order."""
        used = {part for parts in self.safety for part in parts}
        return tuple(part for part in SAFETY if part in used)

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

    def reference(self) -> str:
        """Where the stage is described, in the reader's language (the standard's and the adoption's names)."""
        if self.is_capstone:
            return _("{iso} and {gost}: all stages", iso=_(ISO), gost=_(GOST))
        return _("{iso}, stage {number} of 10: {name}; {gost} (the Russian adoption of {iso}, modified), stage "
                 "{number}: {gost_name}", iso=_(ISO), gost=_(GOST), number=self.number, name=_(self.name),
                 gost_name=self.gost_name)

    @property
    def label(self):
        """``"4. Data acquisition"``, or ``"Capstone: ..."``."""
        return f"Capstone: {self.name}" if self.is_capstone else f"{self.number}. {self.name}"


_T, _F, _S = "technical", "functional", "system"

_STAGES = (
    Stage(
        number=1,
        key="conception",
        name="Idea conception",
        gost_name="Замысел",
        summary=N_("Decide what the AI system is for, which data the task needs, and from which sources."),
        practice=(
            N_("Inventory the data the task needs and the sources that could supply it."),
            N_("Record a trust level for every source before any data is taken from it."),
            N_("Decide which organisational and technical measures obtaining the data requires."),
            N_("Screen candidate features for relevance before a model exists; question leaky identifiers."),
            N_("Ask whether AI is warranted at all when these answers are hard to give."),
        ),
        safety=((_S,), (_T, _F), (_S, _T), (_F,), (_S,)),
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
        minutes=45,
    ),
    Stage(
        number=2,
        key="requirements",
        name="Business requirements",
        gost_name="Формирование деловых требований",
        summary=N_("Write down what the data must look like and which integrity and availability it needs."),
        practice=(
            N_("Write a data specification: format, structure, value domains, distributions."),
            N_("Ask of every feature whether the system can obtain it during operation."),
            N_("State whether drift over time is possible and on what it depends."),
            N_("Require integrity and availability even when nothing in the data is confidential."),
        ),
        safety=((_F, _S), (_F, _S), (_F,), (_T,)),
        risks=(
            N_("Without a specification, corrupted or substituted batches cannot be told from good ones."),
            N_("A specification that is too tight raises false alarms and gets switched off."),
            N_("Without integrity protection an intruder can alter the inputs or the model file itself."),
        ),
        threats=("OWASP ML02 Data poisoning attack", "MITRE ATLAS AML.T0020 Poison training data",
                 "NIST AI 100-2 availability poisoning"),
        standards=("ISO/IEC 5259-2 (accuracy, consistency)", "ISO/IEC 25012 (data quality model)",
                   "Rakin, He and Fan 2019, Bit-Flip Attack", "Hong et al. 2019, Terminal Brain Damage"),
        notebook="02_business_requirements.ipynb",
        labs=("SpecLab",),
        you_will_see=N_("Violations grow with the corruption rate; a too-tight specification raises false alarms."),
        minutes=60,
    ),
    Stage(
        number=3,
        key="planning",
        name="Data planning",
        gost_name="Планирование работы с данными",
        summary=N_("Plan trust, integrity and availability protection for the whole life cycle."),
        practice=(
            N_("Remember that a borrowed dataset was verified for its owner's purposes, not yours."),
            N_("Plan integrity and availability protection for the whole life cycle, and confidentiality wherever "
               "the law requires it, not only for personal data."),
            N_("Rank the ISO/IEC 5259-2 quality characteristics by importance for the task."),
            N_("Decide on synthetic data with care: models trained on generated data degrade."),
            N_("Fix storage terms and a guaranteed destruction method by sensitivity class, in advance; whatever is "
               "derived from the data inherits its class."),
        ),
        safety=((_F, _S), (_T,), (_S,), (_F,), (_T,)),
        risks=(
            N_("Choosing a dataset by the wrong quality priorities."),
            N_("Model collapse when generated data replaces real data generation after generation."),
            N_("A backup, a feature table or a model left with a weaker destruction method than the data it holds."),
        ),
        threats=("NIST AI 100-2 data poisoning (supply chain)",),
        standards=(
            "ISO/IEC 5259-2",
            "PNST 848-2023 (big data: keeping data safe)",
            "NIST SP 800-88 Rev. 1",
            "Shumailov et al. 2023, The Curse of Recursion",
            "Gerstgrasser et al. 2024, Is Model Collapse Inevitable?",
        ),
        notebook="03_data_planning.ipynb",
        labs=("QualityPriorityLab", "CollapseLab"),
        you_will_see=N_("Two datasets swap rank as quality weights move; a distribution collapses when refitted on its own samples."),
        minutes=55,
    ),
    Stage(
        number=4,
        key="acquisition",
        name="Data acquisition",
        gost_name="Комплектование наборов данных",
        summary=N_("Collect data from the planned sources and record where every piece came from."),
        practice=(
            N_("Check trust in each source and record provenance at ingestion."),
            N_("Control integrity from the very first step, even for public datasets: a signed manifest."),
            N_("Avoid synthetic data where possible."),
            N_("Collect by the priority characteristics: usually relevance, representativeness and currentness; "
               "timeliness for real-time systems, consistency for analytic ones."),
        ),
        safety=((_T,), (_T,), (_F,), (_F, _S)),
        risks=(
            N_("Targeted poisoning through one compromised source."),
            N_("A backdoor trigger that clean-accuracy monitoring cannot see."),
            N_("A feed chosen by the wrong characteristic: late data for a real-time system, inconsistent data for "
               "an analytic one."),
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
        minutes=100,
    ),
    Stage(
        number=5,
        key="preparation",
        name="Data preparation",
        gost_name="Подготовка наборов данных",
        summary=N_("Clean, label, transform and assess the data: the largest single contribution to quality."),
        practice=(
            N_("Describe each object by its features with care: the risk of losing cause and effect is highest "
               "here."),
            N_("Have experts assess quality against thresholds, on data restored to its primary form."),
            N_("Have experts of both the subject domain and AI technologies set the priority characteristics and "
               "thresholds."),
            N_("Aggregate expert scores with their agreement in mind: trim extremes, weight by qualification."),
            N_("Keep a test set prepared by independent experts, also with an independent auxiliary network."),
            N_("Beware pretrained networks used for labelling: their errors add up."),
        ),
        safety=((_F, _S), (_F,), (_S, _F), (_F,), (_F,), (_F,)),
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
        minutes=105,
    ),
    Stage(
        number=6,
        key="modelling",
        name="Building a model",
        gost_name="Построение модели ИИ",
        summary=N_("Train and evaluate the model on data that has passed its quality requirements."),
        practice=(
            N_("Assess data quality (with ISO/IEC 5259-2's measures) before building any model: Zatsarinny and "
            "Gavrilov recommend it for every system, noting that the life-cycle standard requires it only for AI "
            "systems linked to public safety."),
            N_("Refuse to train on data that misses its thresholds (a quality gate), with the reasons."),
            N_("Test defences against poisoning: label-noise filtering, outlier removal, per-source impact."),
        ),
        safety=((_F,), (_F,), (_T, _F)),
        risks=(
            N_("Training on data that misses its requirements wastes money and time and ships a weaker model."),
            N_("A single defence gives false comfort: each recovers part of the damage, none all of it."),
        ),
        threats=("OWASP ML02 Data poisoning attack", "MITRE ATLAS M0007 Sanitize training data"),
        standards=("ISO/IEC 5259-2", "GOST R 59898-2021 (quality of AI systems)"),
        notebook="06_model_building.ipynb",
        labs=("QualityGateLab", "DefenceLab"),
        you_will_see=N_("The gate blocks a bad set with a readable reason; defences recover part of the damage."),
        minutes=85,
    ),
    Stage(
        number=7,
        key="deployment",
        name="System deployment",
        gost_name="Развертывание системы ИИ",
        summary=N_("Put the trained system into service and verify it works on real inputs."),
        practice=(
            N_("Check that the technical information-protection requirements are met (attestation or "
               "self-attestation)."),
            N_("Check that input formats from sensors and other sources match those used in training."),
            N_("Run functional-safety checks by a programme and method; the course adds a backdoor trigger test."),
            N_("Verify and validate the software, knowing a trained model cannot be fully explained."),
            N_("Check the model file's digest before loading it: one flipped bit can change its decisions."),
        ),
        safety=((_T,), (_F,), (_F, _T), (_F,), (_T,)),
        risks=(
            N_("A unit change (x1000, degrees C to F) passes type checks and silently breaks predictions."),
            N_("Swapped or missing columns at serving time."),
        ),
        threats=("NIST AI 100-2 backdoor poisoning", "MITRE ATLAS M0014 Verify AI artifacts"),
        standards=("ISO/IEC 5259-2 (portability)", "GOST R 59898-2021"),
        notebook="07_system_deployment.ipynb",
        labs=("ServingBugLab",),
        you_will_see=N_("A unit bug passes the type check but the distribution tests flag it as accuracy collapses."),
        minutes=70,
    ),
    Stage(
        number=8,
        key="operation",
        name="System operation",
        gost_name="Эксплуатация системы ИИ",
        summary=N_("Run the system, monitor its inputs and performance, and retrain when needed."),
        practice=(
            N_("Monitor continuously for performance falling below its threshold and the need to retrain."),
            N_("Fix the monitoring criteria already at model building."),
            N_("Watch the format and character of the input data, not only accuracy."),
        ),
        safety=((_F,), (_F, _S), (_F,)),
        risks=(
            N_("Concept drift is invisible to input tests and visible only in errors."),
            N_("With large samples, p-values flag trivial shifts and alarms are ignored."),
        ),
        threats=("OWASP ML08 Model skewing", "NIST AI 100-2 poisoning during operation (online learning)"),
        standards=("ISO/IEC 5259-2 (currentness)", "Gama et al. 2014, A survey on concept drift adaptation"),
        notebook="08_system_operation.ipynb",
        labs=("DriftLab", "MonitoringLab"),
        you_will_see=N_("Detection delay trades against false alarms; a model trained on winter fails by summer."),
        minutes=105,
    ),
    Stage(
        number=9,
        key="decommissioning-data",
        name="Data decommissioning",
        gost_name="Вывод данных из эксплуатации",
        summary=N_("Archive the data that must be kept, with its history, and destroy the rest."),
        practice=(
            N_("Keep with archived data its service information: source, formats, labelling, synthetic parts; "
               "useful too: the results and conditions of its use in each system."),
            N_("Sign the archive and keep the signature valid for the whole storage term (rotate keys)."),
            N_("Choose destruction methods by sensitivity, covering every memory element that held the data."),
        ),
        safety=((_F, _T), (_T,), (_T,)),
        risks=(
            N_("An archive without a datasheet cannot be audited or safely reused."),
            N_("An unsigned archive can be altered without anyone noticing."),
        ),
        threats=("MITRE ATLAS M0014 Verify AI artifacts", "MITRE ATLAS M0025 Maintain AI dataset provenance"),
        standards=("Gebru et al. 2021, Datasheets for Datasets", "W3C PROV-O", "NIST SP 800-88 Rev. 1"),
        notebook="09_data_decommissioning.ipynb",
        labs=("ArchiveLab",),
        you_will_see=N_("One changed byte fails verification and is located to its row; a shredded key leaves data unrecoverable."),
        minutes=60,
    ),
    Stage(
        number=10,
        key="decommissioning-system",
        name="System decommissioning",
        gost_name="Вывод системы ИИ из эксплуатации",
        summary=N_("Retire the system and clear every element that may hold its data."),
        practice=(
            N_("Inventory every artefact that holds data: files, caches, logs, derived features, models."),
            N_("Clear each by sensitivity (NIST SP 800-88: clear, purge, destroy) and rescan."),
            N_("Backups, caches and logs are data stores too: purge them with the rest and rescan."),
            N_("Secure the supporting infrastructure: the physical infrastructure the AI system relies on (a "
            "self-driving vehicle is only as safe as the road infrastructure is secured)."),
        ),
        safety=((_T,), (_T,), (_T,), (_F,)),
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
        minutes=65,
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
        safety=((_F,), (_F, _T), (_T, _F)),
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
        minutes=240,
    ),
)

_BY_KEY = {s.key: s for s in _STAGES}
_BY_NUMBER = {s.number: s for s in _STAGES}


#: The threat catalogues' entries and the further reading of every stage, marked for the catalog: a catalogue's
#: identifier (OWASP ML02, MITRE ATLAS M0007) and a paper's title stay; what they name is said in the reader's
#: language, one rendering per entry (docs/ru/translation_notes.md).
CATALOGUE_TEXTS = {
    'OWASP ML06 AI supply chain attacks': N_('OWASP ML06 AI supply chain attacks'),
    'MITRE ATLAS AML.T0019 Publish poisoned datasets': N_('MITRE ATLAS AML.T0019 Publish poisoned datasets'),
    'ISO/IEC 5259-2 (relevance)': N_('ISO/IEC 5259-2 (relevance)'),
    'ISO/IEC 22989 (AI concepts)': N_('ISO/IEC 22989 (AI concepts)'),
    'OWASP ML02 Data poisoning attack': N_('OWASP ML02 Data poisoning attack'),
    'MITRE ATLAS AML.T0020 Poison training data': N_('MITRE ATLAS AML.T0020 Poison training data'),
    'NIST AI 100-2 availability poisoning': N_('NIST AI 100-2 availability poisoning'),
    'ISO/IEC 5259-2 (accuracy, consistency)': N_('ISO/IEC 5259-2 (accuracy, consistency)'),
    'ISO/IEC 25012 (data quality model)': N_('ISO/IEC 25012 (data quality model)'),
    'Rakin, He and Fan 2019, Bit-Flip Attack': N_('Rakin, He and Fan 2019, Bit-Flip Attack'),
    'Hong et al. 2019, Terminal Brain Damage': N_('Hong et al. 2019, Terminal Brain Damage'),
    'NIST AI 100-2 data poisoning (supply chain)': N_('NIST AI 100-2 data poisoning (supply chain)'),
    'ISO/IEC 5259-2': N_('ISO/IEC 5259-2'),
    'PNST 848-2023 (big data: keeping data safe)': N_('PNST 848-2023 (big data: keeping data safe)'),
    'NIST SP 800-88 Rev. 1': N_('NIST SP 800-88 Rev. 1'),
    'Shumailov et al. 2023, The Curse of Recursion': N_('Shumailov et al. 2023, The Curse of Recursion'),
    'Gerstgrasser et al. 2024, Is Model Collapse Inevitable?': N_('Gerstgrasser et al. 2024, Is Model Collapse Inevitable?'),
    'NIST AI 100-2 availability, targeted and backdoor poisoning': N_('NIST AI 100-2 availability, targeted and backdoor poisoning'),
    'MITRE ATLAS M0025 Maintain AI dataset provenance': N_('MITRE ATLAS M0025 Maintain AI dataset provenance'),
    'PNST 847-2023 (data provenance)': N_('PNST 847-2023 (data provenance)'),
    'ISO/IEC 5259-2 (credibility)': N_('ISO/IEC 5259-2 (credibility)'),
    'NIST AI 100-2 dirty-label poisoning': N_('NIST AI 100-2 dirty-label poisoning'),
    'MITRE ATLAS M0007 Sanitize training data': N_('MITRE ATLAS M0007 Sanitize training data'),
    'GOST R 71484.2-2024': N_('GOST R 71484.2-2024'),
    'Northcutt et al. 2021, Confident Learning': N_('Northcutt et al. 2021, Confident Learning'),
    'GOST R 59898-2021 (quality of AI systems)': N_('GOST R 59898-2021 (quality of AI systems)'),
    'NIST AI 100-2 backdoor poisoning': N_('NIST AI 100-2 backdoor poisoning'),
    'MITRE ATLAS M0014 Verify AI artifacts': N_('MITRE ATLAS M0014 Verify AI artifacts'),
    'ISO/IEC 5259-2 (portability)': N_('ISO/IEC 5259-2 (portability)'),
    'GOST R 59898-2021': N_('GOST R 59898-2021'),
    'OWASP ML08 Model skewing': N_('OWASP ML08 Model skewing'),
    'NIST AI 100-2 poisoning during operation (online learning)': N_('NIST AI 100-2 poisoning during operation (online learning)'),
    'ISO/IEC 5259-2 (currentness)': N_('ISO/IEC 5259-2 (currentness)'),
    'Gama et al. 2014, A survey on concept drift adaptation': N_('Gama et al. 2014, A survey on concept drift adaptation'),
    'Gebru et al. 2021, Datasheets for Datasets': N_('Gebru et al. 2021, Datasheets for Datasets'),
    'W3C PROV-O': N_('W3C PROV-O'),
    'OWASP ML04 Membership inference attack': N_('OWASP ML04 Membership inference attack'),
    'NIST AI 100-2 privacy attacks': N_('NIST AI 100-2 privacy attacks'),
    'Yeom et al. 2018, Privacy Risk in Machine Learning (membership inference by a confidence threshold)': N_('Yeom et al. 2018, Privacy Risk in Machine Learning (membership inference by a confidence threshold)'),
    'Shokri et al. 2017, Membership Inference Attacks (shadow models)': N_('Shokri et al. 2017, Membership Inference Attacks (shadow models)'),
    'ISO/IEC 8183:2023 (whole life cycle)': N_('ISO/IEC 8183:2023 (whole life cycle)'),
}


def said(text: str) -> str:
    """A stage's threat or reading entry in the reader's language (as written if the catalog does not know it).

    >>> said("MITRE ATLAS M0007 Sanitize training data"), said("Some other paper")
    ('MITRE ATLAS M0007 Sanitize training data', 'Some other paper')
    """
    return _(CATALOGUE_TEXTS[text]) if text in CATALOGUE_TEXTS else text


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
            "safety": ", ".join(s.safety_served),
            "risks": " ".join(s.risks),
            "threats": "; ".join(s.threats),
            "notebook": s.notebook,
            "you_will_see": s.you_will_see,
            "minutes": s.minutes,
        }
        for s in _STAGES
    ]
    return pd.DataFrame(rows)


def safety_table(*, lang: str | None = None) -> pd.DataFrame:
    """How many of each stage's practices serve each part of comprehensive safety, in the reader's language.

    One row per stage of the life cycle (its number and name), one column per part (technical,
    functional, system): the count of the stage's practices that serve it. The parts are the paper's;
    which practice serves which is the course's reading (:attr:`Stage.safety`).

    >>> table = safety_table(lang="en")
    >>> list(table.columns)
    ['stage', 'technical', 'functional', 'system']
    >>> int(table["technical"].iloc[3]), int(table["system"].iloc[0])
    (2, 3)
    """
    import pandas as pd

    rows = []
    for stage in list_stages(include_capstone=False):
        counts = {part: sum(part in parts for parts in stage.safety) for part in SAFETY}
        rows.append({_("stage", lang=lang): f"{stage.number}. {_(stage.name, lang=lang)}",
                     **{_(SAFETY_SHORT[part], lang=lang): counts[part] for part in SAFETY}})
    return pd.DataFrame(rows)


def session_minutes() -> dict[str, int]:
    """Expected study time of every notebook, by notebook name without ``.ipynb``, in course order.

    The one source of the figures that the notebooks' Orientation, the learner guide and the instructor
    guide state (tests/test_sources.py holds them to it).

    >>> minutes = session_minutes()
    >>> minutes["00_start_here"], minutes["04_data_acquisition"], minutes["12_closing"], len(minutes)
    (35, 100, 30, 13)
    """
    minutes = {"00_start_here": START_HERE_MINUTES}
    minutes.update({s.notebook.removesuffix(".ipynb"): s.minutes for s in _STAGES})
    minutes["12_closing"] = CLOSING_MINUTES
    return minutes


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
    lines.append(
        "| Closing: what the course taught | [`12_closing.ipynb`](notebooks/12_closing.ipynb) "
        "| The post-test beside the pre-test of 00, your normalised gain, and the objectives to revisit |"
    )
    return "\n".join(lines)
