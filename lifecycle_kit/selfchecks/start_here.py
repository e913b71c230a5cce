"""Self-checks of 00_start_here: datasets, licences, the life-cycle map."""

from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion


def _adult_disguised_missing():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.profiling import overview

    return overview(load("adult")).disguised_missing_cells


def _leaky_columns_checker(answer):
    from lifecycle_kit.datasets import load

    ds = load("bike_sharing")
    # The leaks are exactly the columns that add up to the target, found from the data.
    truth = {"casual", "registered"}
    assert (ds.frame["casual"] + ds.frame["registered"] == ds.target).all()
    given = {answer} if isinstance(answer, str) else set(answer)
    unknown = given - set(ds.frame.columns)
    if unknown:
        return False, f"{sorted(unknown)} are not columns of bike_sharing; look at ds.frame.columns."
    if given == truth:
        return True, "casual + registered = bikers on every row: a model given them learns an addition, not demand."
    if given < truth:
        return False, "One leaky column is still missing: which two columns add up to bikers?"
    return False, (f"{sorted(given - truth)} are ordinary features: a leak is a column computed from the target. "
                   "Try (ds.frame['casual'] + ds.frame['registered'] == ds.target).all().")


def questions():
    return {
        "disguised_missing": NumericQuestion(
            "Use the dataset explorer on 'adult'. How many cells in the whole table hold a token such as '?' "
            "that means 'unknown' (disguised missing values)?",
            answer=_adult_disguised_missing,
            tolerance=0,
            hints=[(lambda given, expected: given == 0,
                    "0 is what pandas' isna() reports. Look at the disguised_missing column instead.")],
            explanation="UCI Adult writes unknown workclass, occupation and native-country as '?'. pandas does not "
            "count them as missing, so a check that only uses isna() reports a complete dataset.",
        ),
        "free_licence": ChoiceQuestion(
            "Which of these datasets may you redistribute and adapt without having to credit anyone?",
            options={"a": "adult (CC BY 4.0)", "b": "penguins (CC0 1.0)", "c": "breast_cancer (CC BY 4.0)",
                     "d": "seattle_weather (public domain, NOAA)"},
            correct={"b", "d"},
            hints={"a": "CC BY 4.0 allows reuse but requires attribution: cite Becker & Kohavi.",
                   "c": "CC BY 4.0 requires attribution, even for a dataset bundled with scikit-learn."},
            explanation="CC0 waives all rights and US government works are in the public domain; CC BY requires "
            "credit. Crediting is still good practice: provenance is part of integrity.",
        ),
        "trust_stage": ChoiceQuestion(
            "At which stage of ISO/IEC 8183 should a trust level first be recorded for every data source?",
            options={"1": "Idea conception", "4": "Data acquisition", "5": "Data preparation",
                     "8": "System operation"},
            correct="1",
            hints={"4": "By acquisition the data is already coming in. Trust decides which sources to plan for.",
                   "5": "Preparation works on data already taken in; by then an untrusted source is inside.",
                   "8": "In operation the system already depends on the sources."},
            explanation="Stage 1 asks which data the task needs and from which sources, and which sources are "
            "trusted. Acquisition then checks trust and records provenance for each piece.",
        ),
        "leaky_columns": CheckQuestion(
            "Load bike_sharing and give the list of feature columns that leak the target 'bikers'.",
            checker=_leaky_columns_checker,
            solution_text="['casual', 'registered']",
            explanation="casual + registered = bikers exactly. Leaks make a model look perfect in testing and "
            "useless in service, where the leaky columns are not known in advance.",
        ),
    }
