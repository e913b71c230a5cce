"""Self-checks of 02_business_requirements: specifications, false alarms, integrity requirements."""

from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion


def _tight_false_alarms():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.trials import SpecExperiment

    adult = load("adult")
    train = adult.meta["source_file"] == "adult.data"
    experiment = SpecExperiment(adult.frame[train], adult.frame[~train].sample(2000, random_state=0))
    return experiment.run(ranges="tight: 5%-95% of the reference").false_alarm_rate


def _spec_checker(spec):
    from lifecycle_kit.quality import DataSpec

    if not isinstance(spec, DataSpec):
        return False, f"Expected a DataSpec (the object infer_spec returns); got {type(spec).__name__}."
    if "age" not in spec.columns:
        return False, "The spec has no 'age' column: infer it from the Adult frame."
    age = spec.columns["age"]
    if (age.min, age.max) != (18, 85):
        return False, f"age range is [{age.min}, {age.max}]; set spec.columns['age'].min = 18 and .max = 85."
    rules = [(r.left, r.op, r.right) for r in spec.rules]
    if ("capital_loss", "<=", 5000) not in rules and ("capital_loss", "<=", 5000.0) not in rules:
        return False, "Add the rule with spec.rules.append(Rule('capital_loss', '<=', 5000))."
    return True, "The range and the rule are part of the contract now, and travel with it as JSON."


def questions():
    return {
        "tight_false_alarms": NumericQuestion(
            "In the specification lab, choose a clean batch and the tight ranges (5%-95% of the reference). "
            "What share of the clean rows is flagged (the false-alarm rate, as a fraction)?",
            answer=_tight_false_alarms,
            tolerance=0.005,
            hints=[(lambda g, e: g == 0, "0 is the rate with the full reference range. Switch the ranges to tight.")],
            explanation="Every numeric column now rejects the 10% of good values outside its 5%-95% band; across six "
            "numeric columns a large share of perfectly good rows breaks at least one range. A specification that cries wolf gets "
            "switched off: derive ranges from requirements, not from a convenient quantile.",
        ),
        "minutes_bug": ChoiceQuestion(
            "A supplier starts sending hours_per_week in minutes (values multiplied by 60). Which check of the "
            "specification catches it?",
            options={"type": "the type check (numbers only)", "range": "the range check",
                     "category": "the allowed-categories check", "none": "none of them: it needs a model"},
            correct="range",
            hints={"type": "Minutes are still numbers: the type check passes them.",
                   "category": "hours_per_week is numeric; it has a range, not a category list.",
                   "none": "Look at the values: 40 hours become 2,400, far above the reference maximum."},
            explanation="2,400 is far outside the reference range of hours_per_week, so the range check breaks. A smaller unit change "
            "(x1.5, say) would stay inside the range and needs a distribution check (stage 8).",
        ),
        "integrity_without_secrets": ChoiceQuestion(
            "UCI Adult is public. Why does its specification still state integrity and availability requirements?",
            options={"a": "Because the licence requires it.",
                     "b": "Because whoever can alter the data can change what the model learns, without reading anything secret.",
                     "c": "Because public data is always of low quality.",
                     "d": "It should not: requirements apply to confidential data only."},
            correct="b",
            hints={"a": "CC BY 4.0 asks for attribution, nothing about integrity.",
                   "c": "Quality is measured, not assumed; the point here is an attacker.",
                   "d": "Confidentiality is one of three properties. Integrity and availability matter for any data a system depends on."},
            explanation="Data poisoning needs no secrets: it needs write access somewhere along the pipeline. "
            "Integrity (nothing changed unnoticed) and availability (a verified copy can be restored) protect the "
            "model's behaviour even when confidentiality is irrelevant.",
        ),
        "edit_spec": CheckQuestion(
            "Infer a spec from the Adult training frame, restrict age to [18, 85] and add the rule "
            "capital_loss <= 5000. Check your spec object.",
            checker=_spec_checker,
            solution_text="spec = infer_spec(reference); spec.columns['age'].min, spec.columns['age'].max = 18, 85; "
            "spec.rules.append(Rule('capital_loss', '<=', 5000))",
            explanation="A specification is edited like any object and saved as JSON (spec.save('adult.spec.json')), "
            "so it can be reviewed, versioned and signed with the data.",
        ),
    }
