"""Self-checks of 10_system_decommissioning: residual data, models as data stores, membership inference,
and the difference between storage elements and supporting infrastructure."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text


def _k_anonymity(df, quasi_identifiers):
    """The size of the smallest group of rows sharing the same quasi-identifier values (0 for an empty table)."""
    if len(df) == 0:
        return 0
    if not quasi_identifiers:
        return len(df)  # nothing to single anyone out by: the whole table is one group
    # dropna=False: a missing value is a value an attacker sees too, and its rows form a group of their own.
    return int(df.groupby(list(quasi_identifiers), dropna=False).size().min())


def _people(*, missing=False, unique=False):
    """A small released table: age band, sex and postcode area, and a sensitive diagnosis."""
    import pandas as pd

    frame = pd.DataFrame({
        "age_band": ["30-39", "30-39", "30-39", "40-49", "40-49", "40-49", "50-59", "50-59"],
        "sex": ["F", "F", "F", "M", "M", "M", "F", "F"],
        "postcode_area": ["north", "north", "north", "south", "south", "south", "north", "north"],
        "diagnosis": ["flu", "asthma", "flu", "diabetes", "flu", "asthma", "flu", "gout"]})
    if missing:  # one age not recorded: that person stands alone
        frame.loc[2, "age_band"] = None
    if unique:  # one person in a postcode nobody else shares
        frame.loc[7, "postcode_area"] = "harbour"
    return frame


_QUASI = ["age_band", "sex", "postcode_area"]


def _k_drops_missing(df, quasi_identifiers):
    if len(df) == 0:
        return 0
    if not quasi_identifiers:
        return len(df)
    return int(df.groupby(list(quasi_identifiers)).size().min())


def _k_counts_groups(df, quasi_identifiers):
    if len(df) == 0 or not quasi_identifiers:
        return len(df)
    return int(df.groupby(list(quasi_identifiers), dropna=False).ngroups)


def _k_value_counts(df, quasi_identifiers):
    return int(df[list(quasi_identifiers)].value_counts().min())


def _k_anonymity_exercise():
    return CodeExercise(
        N_("Write k_anonymity(df, quasi_identifiers): the k for which the table is k-anonymous — the size of the "
           "smallest group of rows that share the same values of every quasi-identifier. A missing value is a value "
           "(its rows form their own group); no quasi-identifier means one group of all rows; an empty table has k = "
           "0."),
        cases=[Case(N_("age band, sex and postcode area"), (_people(), _QUASI)),
               Case(N_("someone alone in their postcode"), (_people(unique=True), _QUASI), kind="unique"),
               Case(N_("an age that was not recorded"), (_people(missing=True), _QUASI), kind="missing"),
               Case(N_("no quasi-identifier"), (_people(), []), kind="none"),
               Case(N_("an empty table"), (_people().head(0), _QUASI), kind="empty")],
        solution=_k_anonymity,
        solution_code=solution_text(_k_anonymity, "k_anonymity"),
        hints={"basic": N_("Group by the quasi-identifiers and take the size of the smallest group, not the number "
                           "of groups."),
               "unique": N_("A single person with a unique combination makes k = 1: the smallest group decides."),
               "missing": N_("groupby and value_counts drop rows with a missing key by default: pass dropna=False, "
                             "or the person whose age is missing vanishes from the count while staying in the "
                             "release."),
               "none": N_("Without quasi-identifiers nobody can be singled out: every row is in one group of len(df)."),
               "empty": N_("An empty table has no group: return 0 (min of nothing fails).")},
        wrong_answers={"drops missing keys": _k_drops_missing, "counts the groups": _k_counts_groups,
                       "value_counts": _k_value_counts},
        explanation=N_("k-anonymity (Sweeney, 2002) bounds re-identification by the quasi-identifiers only: each "
                       "person hides among at least k - 1 others. It says nothing about the sensitive values inside "
                       "a group (a group that all shares one diagnosis discloses it), which is why l-diversity and "
                       "differential privacy exist."),
    )


def questions():
    return {
        "k_anonymity": _k_anonymity_exercise(),
        "purge_all_but_models": ChoiceQuestion(
            N_("Predict before you tick anything in the lab: you purge everything except the models. Where will the "
               "rescan still find the training rows?"),
            options={"knn": N_("in the k-nearest-neighbours model"), "logistic": N_("in the logistic regression model"),
                     "nowhere": N_("nowhere")},
            correct="knn",
            hints={"logistic": N_("A logistic regression keeps one weight per feature, not the rows."),
                   "nowhere": N_("Rescan: one model still holds every row.")},
            explanation=N_("A k-NN model is its training data: fit() copies the rows into the model, which predicts "
                           "by looking them up. Decommissioning must treat models as storage elements too."),
        ),
        "membership": ChoiceQuestion(
            N_("Which model leaks membership (the attack's whole interval lies above chance)?"),
            options={"overfit_tree": N_("an unpruned decision tree (train accuracy 1.0)"),
                     "logistic_regularised": N_("a regularised logistic regression")},
            correct="overfit_tree",
            hints={"logistic_regularised": N_("It scores its training rows as it scores new ones: nothing "
                                              "to exploit.")},
            explanation=N_("Overfitting is what the confidence-threshold attack (Yeom et al. 2018) feeds on: a model "
                           "far more confident on its training rows tells an attacker which records were in the data."),
        ),
        "infrastructure": ChoiceQuestion(
            N_("Zatsarinny and Gavrilov remind that safety depends on the supporting infrastructure. Which of these "
               "is supporting infrastructure rather than a storage element holding a copy of the data?"),
            options={"roads": N_("the road infrastructure a self-driving car uses"),
                     "backup": N_("the backup tapes of the training data"),
                     "cache": N_("the feature cache of the serving system")},
            correct="roads",
            hints={"backup": N_("A backup holds a copy of the data: it is a storage element to clear."),
                   "cache": N_("A cache holds a copy of the data: it is a storage element to clear.")},
            explanation=N_("Supporting infrastructure is the physical infrastructure the AI system relies on: a "
                           "self-driving vehicle is only as safe as the road infrastructure is secured. Backups, "
                           "caches, logs and models are storage elements holding data copies: they are cleared by "
                           "sensitivity. Both matter, for different reasons."),
        ),
        "knn_clear": ChoiceQuestion(
            N_("The system is retired, but the k-NN model must be kept two more years for an audit. What do you do "
               "with models/knn.pkl?"),
            options={"encrypt": N_("Encrypt it under its own key, log access, shred the key at the end."),
                     "delete": N_("Delete it now; the audit can use the logistic model."),
                     "rename": N_("Rename it so that routine scans skip it.")},
            correct="encrypt",
            hints={"delete": N_("The audit needs the model that was in service; another model is no evidence of it."),
                   "rename": N_("The rescan reads contents, not names; hiding a copy is not clearing it.")},
            explanation=N_("A kept model is a kept copy of the training rows: protect it like the data (encryption, "
                           "logged access) and plan its destruction now. Destroying the key destroys the model's "
                           "contents wherever the ciphertext is copied — provided no copy of the key survives and no "
                           "unencrypted copy was made."),
        ),
    }
