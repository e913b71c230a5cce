"""Self-checks of 00_start_here: who says what, missing values in disguise, licences, leaks."""

from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion
from lifecycle_kit.i18n import N_


def _leaky_columns_checker(answer):
    from lifecycle_kit.datasets import load

    bikes = load("bike_sharing")
    # The leaks are exactly the columns that add up to the target, found from the data.
    truth = {"casual", "registered"}
    assert (bikes.frame["casual"] + bikes.frame["registered"] == bikes.target).all()
    listed = [answer] if isinstance(answer, str) else list(answer)
    repeated = sorted({column for column in listed if listed.count(column) > 1}, key=str)
    if repeated:  # a list that names a column twice is not the list of leaky columns, even if its set is
        return False, N_("{columns} listed more than once: give each leaky column once.", columns=repeated)
    given = set(listed)
    unknown = given - set(bikes.frame.columns)
    if unknown:
        return False, N_("{columns} are not columns of bike_sharing; look at `list(bikes.frame.columns)`.",
                         columns=sorted(unknown))
    if given == truth:
        return True, N_("casual + registered = bikers on every row: a model given them learns an addition, not "
                        "demand.")
    if given < truth:
        return False, N_("One leaky column is still missing: which two columns add up to bikers?")
    return False, N_("{columns} are ordinary features: a leak is a column computed from the target. "
                     "Try `(bikes.frame['casual'] + bikes.frame['registered'] == bikes.target).all()`.",
                     columns=sorted(given - truth))


def questions():
    return {
        "who_says_what": ChoiceQuestion(
            N_("Every stage notebook separates what ISO/IEC 8183 defines from what Zatsarinny and Gavrilov recommend. "
               "Whose is the advice to assess the quality of the data before building any model, for every AI system?"),
            options={"iso5259": N_("ISO/IEC 5259-2, because it defines the quality measures"),
                     "iso8183": N_("ISO/IEC 8183, which requires it for every AI system"),
                     "paper": N_("Zatsarinny and Gavrilov's paper, which notes that the standard requires it only for "
                                 "AI systems linked to public safety")},
            correct="paper",
            hints={"iso5259": N_("ISO/IEC 5259-2 defines how to measure quality, not when a project must do it."),
                   "iso8183": N_("According to the paper, the standard asks for this assessment only for systems "
                                 "linked to public safety; extending it to every system is the authors' recommendation.")},
            explanation=N_("ISO/IEC 5259-2 supplies the measures; ISO/IEC 8183 defines the stages; the recommendation "
               "to assess every system's data before modelling is Zatsarinny and Gavrilov's. Cite each source for what it "
               "says, never one for another."),
        ),
        "isna_blind_spot": ChoiceQuestion(
            N_("Look at adult and then at penguins in the dataset explorer. Which of them would a completeness check "
               "that counts only what pandas' isna() reports call complete, with no missing value at all?"),
            options={"adult": "adult", "penguins": "penguins", "both": N_("both"), "neither": N_("neither")},
            correct="adult",
            hints={"penguins": N_("penguins has real gaps (NaN) that isna() sees: look at its missing column."),
                   "both": N_("penguins has real gaps (NaN) that isna() sees: look at its missing column."),
                   "neither": N_("For adult, compare the missing column with the disguised_missing column.")},
            explanation=N_("UCI Adult writes unknown workclass, occupation and native-country as '?'. pandas does not "
               "count them as missing, so a check that uses only isna() calls adult complete, while penguins' gaps are "
               "real NaN and are counted. Completeness has to be measured with the dataset's own tokens for 'unknown'."),
        ),
        "free_licence": ChoiceQuestion(
            N_("Which of these datasets may you redistribute and adapt without having to credit anyone?"),
            options={"a": N_("adult (CC BY 4.0)"), "b": N_("penguins (CC0 1.0)"),
                     "c": N_("breast_cancer (CC BY 4.0)"), "d": N_("seattle_weather (public domain, NOAA)")},
            correct={"b", "d"},
            hints={"a": N_("CC BY 4.0 allows reuse but requires attribution: cite Becker & Kohavi."),
                   "c": N_("CC BY 4.0 requires attribution, even for a dataset bundled with scikit-learn.")},
            explanation=N_("CC0 waives all rights and US government works are in the public domain; CC BY requires "
               "credit. Crediting is still good practice: provenance is part of integrity."),
        ),
        "trust_stage": ChoiceQuestion(
            N_("Zatsarinny and Gavrilov recommend recording which data sources are trusted. At which stage of the "
               "ISO/IEC 8183 life cycle do they ask for it first?"),
            options={"1": N_("Idea conception"), "4": N_("Data acquisition"), "5": N_("Data preparation"),
                     "8": N_("System operation")},
            correct="1",
            hints={"4": N_("By acquisition the data is already coming in. Trust decides which sources to plan for."),
                   "5": N_("Preparation works on data already taken in; by then an untrusted source is inside."),
                   "8": N_("In operation the system already depends on the sources.")},
            explanation=N_("At idea conception the paper asks which data the task needs, from which sources, and which "
               "of them are trusted. It also points out that ISO/IEC 8183 defines no data-related actions for this "
               "stage at all, and argues that it should. Acquisition then checks trust and records provenance for each "
               "piece."),
        ),
        "leaky_columns": CheckQuestion(
            N_("Load bike_sharing and give the list of feature columns that leak the target 'bikers'."),
            checker=_leaky_columns_checker,
            solution_text=N_("['casual', 'registered']"),
            explanation=N_("casual + registered = bikers exactly. Leaks make a model look perfect in testing and "
               "useless in service, where the leaky columns are not known in advance."),
        ),
        "safety_parts": ChoiceQuestion(
            N_("A public dataset that holds no secret is altered on its way to training, and the model trained on it "
               "now misclassifies. Which parts of comprehensive safety, in Zatsarinny and Gavrilov's sense, did the "
               "alteration breach? Pick all that apply."),
            options={"technical": N_("technical safety: the integrity of the information"),
                     "functional": N_("functional safety: the correct performance of the system's functions"),
                     "system": N_("system safety: the correct statement of the task"),
                     "none": N_("none: nothing confidential was disclosed")},
            correct={"technical", "functional"},
            hints={"system": N_("The task was stated correctly; what failed was the data on the way, and through it "
                                "the function."),
                   "none": N_("Technical safety covers integrity and availability, not only confidentiality: the "
                              "paper asks for them even when no information is restricted.")},
            explanation=N_("The alteration breaks the data's integrity (technical safety), and the model then performs "
                           "its function wrongly (functional safety): the two are linked, which is why the paper asks "
                           "for integrity and availability of data that holds no secret."),
        ),
    }
