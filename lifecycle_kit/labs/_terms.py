"""Names the core writes in English that the labs show: quality characteristics and measures, marked for the catalog.

The core keeps its English names (reports and tests read them); a lab says them in its language at display
time with :func:`_`. ``tests/test_labs_i18n.py`` checks that every name of
:data:`lifecycle_kit.quality.measures.MEASURES` is marked here, so a new measure cannot go untranslated.
"""

from lifecycle_kit.i18n import N_, _, pgettext

__all__ = ["CHARACTERISTICS", "MEASURE_ID_NOTE", "MEASURE_NAMES", "characteristic", "measure_label"]

# lifecycle_kit.quality.measures.MEASURE_ID_NOTE, marked for the catalog (a test keeps the two equal).
MEASURE_ID_NOTE = N_("Measure ids such as Com-ML-1 are this kit's own labels, modelled on ISO/IEC 5259-2; the "
                     "characteristic beside each (completeness, accuracy, ...) is the standard's.")

# The ISO/IEC 5259-2 characteristics (in Russian: the terms of GOST R 71484.2-2024, docs/glossary.md). They carry a
# context: "accuracy" and "precision" of data are not the accuracy of a model or the precision of alarms.
CONTEXT = "quality characteristic"
CHARACTERISTICS = ("accuracy", "balance", "completeness", "consistency", "credibility", "currentness", "diversity",
                   "effectiveness", "efficiency", "identifiability", "portability", "precision", "relevance",
                   "representativeness", "similarity", "traceability", "understandability")


def _marked_for_the_catalog() -> tuple[str, ...]:  # never called: Babel extracts these literals with their context
    return (pgettext("quality characteristic", "accuracy"), pgettext("quality characteristic", "balance"),
            pgettext("quality characteristic", "completeness"), pgettext("quality characteristic", "consistency"),
            pgettext("quality characteristic", "credibility"), pgettext("quality characteristic", "currentness"),
            pgettext("quality characteristic", "diversity"), pgettext("quality characteristic", "effectiveness"),
            pgettext("quality characteristic", "efficiency"), pgettext("quality characteristic", "identifiability"),
            pgettext("quality characteristic", "portability"), pgettext("quality characteristic", "precision"),
            pgettext("quality characteristic", "relevance"),
            pgettext("quality characteristic", "representativeness"),
            pgettext("quality characteristic", "similarity"), pgettext("quality characteristic", "traceability"),
            pgettext("quality characteristic", "understandability"))


def characteristic(name: str, lang: str | None = None) -> str:
    """A quality characteristic's name in the current language.

    >>> characteristic("accuracy"), characteristic("accuracy", lang="ru")
    ('accuracy', 'точность')
    """
    return pgettext(CONTEXT, name, lang=lang)


MEASURE_NAMES = (
    N_("syntactic accuracy"), N_("range accuracy"), N_("outlier-free values"), N_("label accuracy (estimated)"),
    N_("value completeness"), N_("feature completeness"), N_("record completeness"), N_("label completeness"),
    N_("duplicate-free records"), N_("label consistency"), N_("format consistency"), N_("cross-field consistency"),
    N_("plausibility"), N_("trusted sources"), N_("records in the valid window"), N_("decimal resolution"),
    N_("recorded source"), N_("described columns"), N_("compact storage"), N_("round-trip fidelity"),
    N_("k-anonymity"), N_("label balance"), N_("category balance"), N_("category diversity"),
    N_("required levels present"), N_("closeness to reference"), N_("near-duplicate-free rows"),
    N_("informative features"), N_("learnable categories"),
)


def measure_label(measure_id: str, *, name: bool = True) -> str:
    """:func:`lifecycle_kit.quality.measures.measure_label` in the current language.

    >>> measure_label("Com-ML-1"), measure_label("Com-ML-1", name=False)
    ('Com-ML-1 value completeness (completeness)', 'Com-ML-1 (completeness)')
    """
    from lifecycle_kit.quality.measures import MEASURES

    measure = MEASURES[measure_id]
    shown = characteristic(measure.characteristic)
    if not name:
        return f"{measure_id} ({shown})"
    return f"{measure_id} {_(measure.name)} ({shown})"
