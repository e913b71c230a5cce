"""Self-checks of 02_business_requirements: specifications, false alarms, integrity requirements."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _spec_checker(spec):
    from lifecycle_kit.quality import DataSpec

    if not isinstance(spec, DataSpec):
        return False, N_("Expected a DataSpec (the object infer_spec returns); got {kind}.", kind=type(spec).__name__)
    if "age" not in spec.columns:
        return False, N_("The spec has no 'age' column: start from `infer_spec(reference)`.")
    age = spec.columns["age"]
    if (age.min, age.max) != (18, 85):
        return False, N_("age range is [{low}, {high}]; set the min and max of your spec's age column to 18 and 85.",
                         low=age.min, high=age.max)
    rules = [(r.left, r.op, r.right) for r in spec.rules]
    if ("capital_loss", "<=", 5000) not in rules and ("capital_loss", "<=", 5000.0) not in rules:
        return False, N_("Append the rule `Rule('capital_loss', '<=', 5000)` to your spec's rules.")
    return True, N_("The range and the rule are part of the contract now, and travel with it as JSON.")


def _is_current(timestamps, now, max_age_days):
    import pandas as pd

    age = pd.Timestamp(now) - pd.to_datetime(pd.Series(timestamps, dtype="datetime64[ns]"))
    return ((age >= pd.Timedelta(0)) & (age <= pd.Timedelta(days=max_age_days))).tolist()


_NOW = "2024-06-30 12:00"


def _generate_batch(draw):
    """Timestamps exactly at the limit, a second or some hours either side of it, exactly now, just after now,
    missing; fractional limits; any index; two resolutions."""
    import pandas as pd

    now = pd.Timestamp(draw.one_of([_NOW, "2024-03-01 00:00"]))
    max_age_days = draw.one_of([30, 7, 1.5, 0.25, 0, 2, 365], weights=[3, 2, 3, 2, 1, 1, 1])
    limit = pd.Timedelta(days=max_age_days)
    ages = {"half a day old": pd.Timedelta(hours=12), "at the limit": limit,
            "a second inside": limit - pd.Timedelta(seconds=1),
            "a second past": limit + pd.Timedelta(seconds=1), "hours past": limit + pd.Timedelta(hours=5),
            "hours inside": limit - pd.Timedelta(hours=5), "now": pd.Timedelta(0),
            "a second ahead": pd.Timedelta(seconds=-1), "days ahead": pd.Timedelta(days=-3),
            "long ago": limit + pd.Timedelta(days=40)}

    def stamp(d):
        kind = d.one_of([*ages, "missing"])
        return pd.NaT if kind == "missing" else now - ages[kind]

    values = draw.items(stamp, max_size=5)
    index = draw.one_of([None, "labels", "reversed"])
    labels = {None: None, "labels": [10 + i for i in range(len(values))],
              "reversed": list(range(len(values)))[::-1]}[index]
    return pd.Series(values, index=labels, dtype=draw.one_of(["datetime64[ns]", "datetime64[us]"])), now, \
        max_age_days


def _is_current_exercise():
    import pandas as pd

    def ages(timestamps, now):
        return pd.Timestamp(now) - pd.to_datetime(pd.Series(timestamps, dtype="datetime64[ns]"))

    def strict(timestamps, now, max_age_days):  # a record exactly max_age_days old is still current
        age = ages(timestamps, now)
        return ((age >= pd.Timedelta(0)) & (age < pd.Timedelta(days=max_age_days))).tolist()

    def accepts_the_future(timestamps, now, max_age_days):  # a timestamp after now passes
        return (ages(timestamps, now) <= pd.Timedelta(days=max_age_days)).tolist()

    def refuses_now(timestamps, now, max_age_days):  # ts < now: a reading taken exactly now is refused
        age = ages(timestamps, now)
        return ((age > pd.Timedelta(0)) & (age <= pd.Timedelta(days=max_age_days))).tolist()

    def whole_days(timestamps, now, max_age_days):  # .dt.days drops the hours: 30 days 5 hours counts as 30
        age = ages(timestamps, now)
        return ((age.dt.days >= 0) & (age.dt.days <= max_age_days)).tolist()

    def whole_day_limit(timestamps, now, max_age_days):  # int(1.5) is 1: the half day is lost
        age = ages(timestamps, now)
        return ((age >= pd.Timedelta(0)) & (age <= pd.Timedelta(days=int(max_age_days)))).tolist()

    def missing_passes(timestamps, now, max_age_days):  # "not too old and not in the future": NaT is neither
        age = ages(timestamps, now)
        return (~(age > pd.Timedelta(days=max_age_days)) & ~(age < pd.Timedelta(0))).tolist()

    def calendar_dates(timestamps, now, max_age_days):  # dates compared, times of day dropped
        days = (pd.Timestamp(now).normalize() - pd.Series(timestamps).dt.normalize()).dt.days
        return ((days >= 0) & (days <= max_age_days)).tolist()

    def by_position(timestamps, now, max_age_days):  # timestamps[i] reads a label, not a position
        limit = pd.Timedelta(days=max_age_days)
        return [bool(pd.notna(timestamps[i]) and pd.Timedelta(0) <= now - timestamps[i] <= limit)
                for i in range(len(timestamps))]

    now = pd.Timestamp(_NOW)
    stamps = lambda *texts, index=None: pd.Series([pd.Timestamp(t) if t else pd.NaT for t in texts],  # noqa: E731
                                                  index=index, dtype="datetime64[ns]")
    index_hint = N_("The Series may carry any index (a filtered table keeps its row labels): loop over its values "
                    "(or use vectorised pandas), not over timestamps[i] for i in range(len(timestamps)).")
    return CodeExercise(
        N_("Write is_current(timestamps, now, max_age_days): for each timestamp (a pandas Series, with any index), "
           "True when it is no older than max_age_days before now and not after now. Both ends are included: a "
           "record exactly max_age_days old is current, and so is one taken exactly at now. max_age_days may be "
           "fractional (1.5 is a day and a half): compare exact durations, hours and seconds included. A missing "
           "timestamp (NaT) is not current. Return a list of booleans, in the order of the Series."),
        cases=[
            Case(N_("four readings, two of them stale"), (stamps("2024-06-29 08:00", "2024-05-01", "2024-06-01 12:00",
                                                           "2023-12-31"), now, 30)),
            Case(N_("a record exactly max_age_days old"), (stamps("2024-05-31 12:00", "2024-05-31 11:59"), now, 30),
                 kind="tie"),
            Case(N_("30 days and 5 hours old, with max_age_days=30"), (stamps("2024-05-31 07:00", "2024-06-30"), now, 30),
                 kind="hours"),
            Case(N_("a reading taken exactly now"), (stamps(_NOW, "2024-06-30 11:00"), now, 7), kind="now"),
            Case(N_("a limit of a day and a half"), (stamps("2024-06-29 06:00", "2024-06-29 00:00", "2024-06-28 23:59"),
                                                     now, 1.5), kind="fraction"),
            Case(N_("a missing timestamp (NaT)"), (stamps("2024-06-29", None, "2024-06-28"), now, 7), kind="missing"),
            Case(N_("a timestamp after now (a clock set wrong)"), (stamps("2024-07-04", "2024-06-30 11:00"), now, 7),
                 kind="future"),
            Case(N_("rows kept from a larger table (index 5, 9, 2)"),
                 (stamps("2024-06-29", "2024-01-01", "2024-06-30 12:00", index=[5, 9, 2]), now, 30), kind="index"),
            Case(N_("an empty batch"), (stamps(), now, 30), kind="empty"),
        ],
        solution=_is_current,
        solution_code=solution_text(_is_current, "is_current"),
        hints={"tie": N_("'No older than' includes the limit itself: age <= max_age_days, not <."),
               "hours": N_("Compare Timedeltas (age <= pd.Timedelta(days=max_age_days)); .dt.days drops the hours and "
                           "lets a record 30 days and 5 hours old through."),
               "now": N_("A reading taken exactly at now is current: its age is 0, so require age >= 0, not > 0."),
               "fraction": N_("max_age_days may be fractional: pd.Timedelta(days=1.5) is a day and a half, and "
                              "int(1.5) loses the half day."),
               "missing": N_("A missing timestamp cannot prove the record is current: it must give False (comparisons "
                             "with NaT are False in pandas, so build the condition from comparisons that must be "
                             "True, not from negations)."),
               "future": N_("A timestamp after now is an error, not the freshest record: require age >= 0 too."),
               "index": index_hint,
               "empty": N_("An empty batch gives an empty list, not an error.")},
        generate=_generate_batch,
        examples=150,
        misconceptions=[
            Misconception(strict, N_("It looks as if a record exactly max_age_days old were refused: 'no older "
                                     "than' includes the limit (age <= limit, not <).")),
            Misconception(refuses_now, N_("It looks as if a reading taken exactly at now were refused: its age is "
                                          "0, and 0 is not in the future (age >= 0, or timestamp <= now).")),
            Misconception(accepts_the_future, N_("It looks as if timestamps after now were accepted: a timestamp "
                                                 "in the future is a clock error, not a current record.")),
            Misconception(whole_days, N_("It looks as if ages were counted in whole days (.dt.days): a record 30 "
                                         "days and 5 hours old is older than 30 days. Compare Timedeltas.")),
            Misconception(whole_day_limit, N_("It looks as if the limit were cut to whole days: max_age_days=1.5 "
                                              "is a day and a half (pd.Timedelta(days=max_age_days)).")),
            Misconception(calendar_dates, N_("It looks as if calendar dates were compared, not exact times: the "
                                             "age of a record counts its hours too.")),
            Misconception(missing_passes, N_("It looks as if a missing timestamp (NaT) were judged current: a "
                                             "negated comparison with NaT is True. A missing timestamp is not "
                                             "current.")),
            Misconception(by_position, index_hint),
        ],
        explanation=N_("Currentness (ISO/IEC 5259-2) is measured against the task's window: the age of each record "
           "from its own timestamp, the limit included, and a timestamp that is missing or in the future fails the rule "
           "instead of passing by default."),
    )


def questions():
    return {
        "currentness_rule": _is_current_exercise(),
        "predict_tight_ranges": ChoiceQuestion(
            N_("Predict before you move the control. In the specification lab, with a clean batch, you switch "
               "Numeric ranges to 'tight: {low:.0%}-{high:.0%} of the reference'. Each numeric column's band then "
               "leaves out about {share:.0%} of good values. What share of the clean rows will be flagged?", low=0.05,
               high=0.95, share=0.1),
            options={"none": N_("None: the batch is clean."),
                     "ten": N_("About {share:.0%}: each column rejects about {share:.0%} of its values.", share=0.1),
                     "more": N_("Well above 10%: a row is flagged when any one of its numeric columns is out of its "
                                "band, and the misses of different columns fall on different rows.")},
            correct="more",
            hints={"none": N_("The ranges no longer describe the data: good values now fall outside them. Try it in "
                              "the lab."),
                   "ten": N_("10% per column, but a row breaks if any of its numeric columns breaks. Try it in the "
                             "lab and compare.")},
            explanation=N_("Now compare with the lab: the false-alarm rate is far above {share:.0%}, because the "
               "{share:.0%} of good values each column rejects fall on different rows, and one broken range is enough "
               "to flag a row. A specification that cries wolf gets switched off: derive ranges from requirements, "
               "not from a convenient quantile.", share=0.1),
        ),
        "minutes_bug": ChoiceQuestion(
            N_("A supplier starts sending hours_per_week in minutes (values multiplied by 60). Which check of the "
               "specification catches it?"),
            options={"type": N_("the type check (numbers only)"), "range": N_("the range check"),
                     "category": N_("the allowed-categories check"), "none": N_("none of them: it needs a model")},
            correct="range",
            hints={"type": N_("Minutes are still numbers: the type check passes them."),
                   "category": N_("hours_per_week is numeric; it has a range, not a category list."),
                   "none": N_("Look at the values: 40 hours become 2,400, far above the reference maximum.")},
            explanation=N_("2,400 is far outside the reference range of hours_per_week, so the range check breaks. A smaller unit change "
               "(x1.5, say) would stay inside the range and needs a distribution check (stage 8)."),
        ),
        "integrity_without_secrets": ChoiceQuestion(
            N_("UCI Adult is public. Why does its specification still state integrity and availability requirements?"),
            options={"a": N_("Because the licence requires it."),
                     "b": N_("Because whoever can alter the data can change what the model learns, without reading anything secret."),
                     "c": N_("Because public data is always of low quality."),
                     "d": N_("It should not: requirements apply to confidential data only.")},
            correct="b",
            hints={"a": N_("CC BY 4.0 asks for attribution, nothing about integrity."),
                   "c": N_("Quality is measured, not assumed; the point here is an attacker."),
                   "d": N_("Confidentiality is one of three properties. Integrity and availability matter for any data a system depends on.")},
            explanation=N_("Data poisoning needs no secrets: it needs write access somewhere along the pipeline. "
               "Integrity (nothing changed unnoticed) and availability (a verified copy can be restored) protect the "
               "model's behaviour even when confidentiality is irrelevant."),
        ),
        "edit_spec": CheckQuestion(
            N_("Infer a spec from the Adult training frame, restrict age to [18, 85] and add the rule "
               "capital_loss <= 5000. Check your spec object."),
            checker=_spec_checker,
            solution_text=N_("`my_spec = infer_spec(reference); my_spec.columns['age'].min, my_spec.columns['age'].max "
               "= 18, 85; my_spec.rules.append(Rule('capital_loss', '<=', 5000))`"),
            explanation=N_("A specification is edited like any object and saved as JSON (with its save method), "
               "so it can be reviewed, versioned and signed with the data."),
        ),
    }
