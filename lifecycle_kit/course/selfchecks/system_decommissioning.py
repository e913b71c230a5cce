"""Self-checks of 10_system_decommissioning: residual data, models as data stores, membership inference,
and the difference between storage elements and supporting infrastructure."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _k_anonymity(df, quasi_identifiers):
    """The size of the smallest group of rows sharing the same quasi-identifier values (0 for an empty table)."""
    if len(df) == 0:
        return 0
    if not quasi_identifiers:
        return len(df)  # nothing to single anyone out by: the whole table is one group
    # dropna=False: a missing value is a value an attacker sees too, and its rows form a group of their own;
    # observed=True: only combinations that occur are groups (a category nobody has is not a group of 0).
    return int(df.groupby(list(quasi_identifiers), dropna=False, observed=True).size().min())


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


def _generate_release(draw):
    """Released tables of up to 8 rows: quasi-identifiers of several types (text, category with a category nobody
    has, nullable integers), missing values of every kind, a sensitive column with gaps; any subset of the
    quasi-identifiers in any order, none included; an empty table."""
    import numpy as np
    import pandas as pd

    domains = {"age_band": ["30-39", "40-49"], "sex": ["F", "M"], "postcode_area": ["north", "south", "harbour"],
               "birth_year": [1980, 1990]}

    def person(d):  # one row's choices in one stretch: the shrinker deletes a person whole
        row = {name: d.one_of([None, np.nan, pd.NA]) if d.boolean(0.15) else d.one_of(domain)
               for name, domain in domains.items()}
        row["diagnosis"] = d.one_of(["flu", "asthma", None])
        return row

    rows = draw.items(person, max_size=8)
    columns = {name: np.array([row[name] for row in rows], dtype=object) for name in [*domains, "diagnosis"]}
    columns["birth_year"] = pd.array(columns["birth_year"], dtype="Int64")
    kind = draw.one_of(["object", "category", "string"])
    if kind == "category":
        columns["postcode_area"] = pd.Categorical(columns["postcode_area"], categories=["north", "south", "harbour",
                                                                                        "island"])
    elif kind == "string":
        columns["sex"] = pd.array(columns["sex"], dtype="string")
    index = [100 + 3 * i for i in range(len(rows))] if draw.boolean(0.3) else None
    return pd.DataFrame(columns, index=index), draw.sample(list(domains), max_size=3)


def _k_anonymity_exercise():
    import pandas as pd

    def drops_missing(df, quasi_identifiers):
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return int(df.groupby(list(quasi_identifiers)).size().min())

    def counts_groups(df, quasi_identifiers):
        if len(df) == 0 or not quasi_identifiers:
            return len(df)
        return int(df.groupby(list(quasi_identifiers), dropna=False).ngroups)

    def value_counts(df, quasi_identifiers):
        return int(df[list(quasi_identifiers)].value_counts().min())

    def count_not_size(df, quasi_identifiers):  # .count() counts the non-missing values of the other columns
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return int(df.groupby(list(quasi_identifiers), dropna=False, observed=True).count().min().min())

    def single_columns(df, quasi_identifiers):  # the smallest group of each column alone, not of the combination
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return int(min(df[column].value_counts(dropna=False).min() for column in quasi_identifiers))

    def missing_kinds_apart(df, quasi_identifiers):  # as text, None and NaN become two different values
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return int(df[list(quasi_identifiers)].astype(str).groupby(list(quasi_identifiers)).size().min())

    def unobserved_combinations(df, quasi_identifiers):  # a category nobody has counted as a group of 0
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return int(df.groupby(list(quasi_identifiers), dropna=False, observed=False).size().min())

    def average_group(df, quasi_identifiers):  # rows per group on average, not the smallest group
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return len(df)
        return len(df) // df.groupby(list(quasi_identifiers), dropna=False, observed=True).ngroups

    def diversity(df, quasi_identifiers):  # distinct diagnoses per group: l-diversity, another measure
        if len(df) == 0:
            return 0
        if not quasi_identifiers:
            return int(df["diagnosis"].nunique())
        return int(df.groupby(list(quasi_identifiers), dropna=False, observed=True)["diagnosis"].nunique().min())

    mixed_missing = _people()
    mixed_missing["age_band"] = mixed_missing["age_band"].astype(object)
    mixed_missing.loc[[0, 1, 2], "age_band"] = [None, float("nan"), pd.NA]  # three missing ages: one group of 3
    gaps = _people()
    gaps.loc[[0, 3], "diagnosis"] = None  # the sensitive column has gaps: the groups do not shrink
    combination = _people()
    combination.loc[[2, 6], "sex"] = ["M", "M"]  # every value is shared, but two combinations are unique
    categories = _people()
    categories["postcode_area"] = pd.Categorical(categories["postcode_area"], categories=["north", "south", "harbour"])
    nullable = _people().assign(birth_year=pd.array([1980, 1980, 1980, None, 1990, 1990, 1990, 1990], dtype="Int64"))
    combination_hint = N_("Group by all the quasi-identifiers together: an attacker combines them, so every value "
                          "can be shared while a combination is unique. The smallest group of each column alone "
                          "overstates k.")
    size_hint = N_("Count the rows of each group with .size(): .count() counts the non-missing values of the other "
                   "columns, so a gap in a sensitive column shrinks the group.")
    missing_hint = N_("groupby and value_counts drop rows with a missing key by default: pass dropna=False, or the "
                      "person whose age is missing vanishes from the count while staying in the release. Every "
                      "kind of missing value (None, NaN, pd.NA) is one and the same value.")
    return CodeExercise(
        N_("Write k_anonymity(df, quasi_identifiers): the k for which the table is k-anonymous — the size of the "
           "smallest group of rows that share the same values of every quasi-identifier (the combination, not each "
           "column alone; only combinations that occur are groups). A missing value is a value: rows missing a "
           "quasi-identifier (None, NaN and pd.NA alike) with the same other values form their own group. The other "
           "columns do not matter, even where they are missing. No quasi-identifier means one group of all rows; an "
           "empty table has k = 0."),
        cases=[Case(N_("age band, sex and postcode area"), (_people(), _QUASI)),
               Case(N_("two groups of three"), (_people().head(6), _QUASI)),
               Case(N_("someone alone in their postcode"), (_people(unique=True), _QUASI), kind="unique"),
               Case(N_("every value shared, but two combinations unique"), (combination, _QUASI), kind="combination"),
               Case(N_("an age that was not recorded"), (_people(missing=True), _QUASI), kind="missing"),
               Case(N_("three ages not recorded: None, NaN and pd.NA"), (mixed_missing, _QUASI), kind="missing"),
               Case(N_("gaps in the diagnosis column"), (gaps, _QUASI), kind="size"),
               Case(N_("a postcode category nobody has"), (categories, _QUASI), kind="observed"),
               Case(N_("a birth year missing (pd.NA) for one person"), (nullable, ["birth_year", "sex"]),
                    kind="missing"),
               Case(N_("no quasi-identifier"), (_people(), []), kind="none"),
               Case(N_("an empty table"), (_people().head(0), _QUASI), kind="empty")],
        solution=_k_anonymity,
        solution_code=solution_text(_k_anonymity, "k_anonymity"),
        hints={"basic": N_("Group by the quasi-identifiers and take the size of the smallest group, not the number "
                           "of groups."),
               "unique": N_("A single person with a unique combination makes k = 1: the smallest group decides."),
               "combination": combination_hint,
               "missing": missing_hint,
               "size": size_hint,
               "observed": N_("Only combinations that occur are groups: a category nobody has is not a group of 0 "
                              "people (groupby(..., observed=True)).") ,
               "none": N_("Without quasi-identifiers nobody can be singled out: every row is in one group of len(df)."),
               "empty": N_("An empty table has no group: return 0 (min of nothing fails).")},
        generate=_generate_release,
        examples=120,
        shrink_budget=100,
        misconceptions=[
            Misconception(drops_missing, missing_hint),
            Misconception(missing_kinds_apart, missing_hint),
            Misconception(counts_groups, N_("It looks as if the groups were counted: k is the size of the smallest "
                                            "group, not the number of groups.")),
            Misconception(value_counts, missing_hint),
            Misconception(count_not_size, size_hint),
            Misconception(single_columns, combination_hint),
            Misconception(unobserved_combinations, N_("It looks as if combinations that never occur were counted "
                                                      "as groups of 0: only combinations that occur are groups "
                                                      "(observed=True).")),
            Misconception(average_group, N_("It looks as if the average group size were computed: k is the size "
                                            "of the smallest group, the one a person is easiest to find in.")),
            Misconception(diversity, N_("It looks as if distinct sensitive values were counted per group: that is "
                                        "l-diversity. k counts the rows of the smallest group.")),
        ],
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
