"""The capstone's lifecycle report and tables, said in the reader's language.

The capstone notebook writes its report's title, section titles and notes as English literals in a code cell that
both editions share; the report says each in the reader's language when it is one of :data:`REPORT_TEXTS`. The
investigation itself (suspect, evidence, reveal) is :mod:`lifecycle_kit.course.investigation`.

Examples
--------
>>> from lifecycle_kit.i18n import _, language
>>> with language("ru"):
...     _("Penguin data platform — capstone") != "Penguin data platform — capstone"
True
"""

from __future__ import annotations

from lifecycle_kit.display import vocabulary
from lifecycle_kit.i18n import N_

__all__ = ["REPORT_TEXTS"]

#: The title, section titles and notes of the capstone's lifecycle report, marked for the catalog: the report says a
#: title or note found in the catalog in the reader's language (lifecycle_kit.report.LifecycleReport).
REPORT_TEXTS = (
    N_("Penguin data platform — capstone"), N_("unified specification check"),
    N_("per-source impact on the trusted audit sample"), N_("ISO/IEC 5259-2 measures, all sources"),
    N_("measures per source"), N_("record linkage"), N_("tag coverage"), N_("human review of flagged records"),
    N_("what the model learned"), N_("per-source drift monitor"), N_("what each role can infer about protected fields"),
    N_("cross-validated model on the role's visible columns vs a guess without data"), N_("audit log"),
    N_("datasheet"), N_("the investigation: suspect, review, reveal"),
)

vocabulary(headings={"records": N_("records"), "audit_accuracy": N_("accuracy on the audit sample"),
                     "audit_log_loss": N_("log-loss on the audit sample"), "training_data": N_("training data")})
