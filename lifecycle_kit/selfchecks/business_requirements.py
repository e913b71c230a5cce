"""Self-checks of 02_business_requirements: specifications, false alarms, integrity requirements."""

from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion


def _spec_checker(spec):
    from lifecycle_kit.quality import DataSpec

    if not isinstance(spec, DataSpec):
        return False, f"Expected a DataSpec (the object infer_spec returns); got {type(spec).__name__}."
    if "age" not in spec.columns:
        return False, "The spec has no 'age' column: start from `infer_spec(reference)`."
    age = spec.columns["age"]
    if (age.min, age.max) != (18, 85):
        return False, (f"age range is [{age.min}, {age.max}]; set the min and max of your spec's age column to "
                       "18 and 85.")
    rules = [(r.left, r.op, r.right) for r in spec.rules]
    if ("capital_loss", "<=", 5000) not in rules and ("capital_loss", "<=", 5000.0) not in rules:
        return False, "Append the rule `Rule('capital_loss', '<=', 5000)` to your spec's rules."
    return True, "The range and the rule are part of the contract now, and travel with it as JSON."


def questions():
    return {
        "predict_tight_ranges": ChoiceQuestion(
            "Predict before you move the control. In the specification lab, with a clean batch, you switch "
            "Numeric ranges to 'tight: 5%-95% of the reference'. Each numeric column's band then leaves out about "
            "10% of good values. What share of the clean rows will be flagged?",
            options={"none": "None: the batch is clean.",
                     "ten": "About 10%: each column rejects about 10% of its values.",
                     "more": "Well above 10%: a row is flagged when any one of its numeric columns is out of its "
                             "band, and the misses of different columns fall on different rows."},
            correct="more",
            hints={"none": "The ranges no longer describe the data: good values now fall outside them. Try it in "
                           "the lab.",
                   "ten": "10% per column, but a row breaks if any of its numeric columns breaks. Try it in the "
                          "lab and compare."},
            explanation="Now compare with the lab: the false-alarm rate is far above 10%, because the 10% of good "
            "values each column rejects fall on different rows, and one broken range is enough to flag a row. A "
            "specification that cries wolf gets switched off: derive ranges from requirements, not from a "
            "convenient quantile.",
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
            solution_text="`my_spec = infer_spec(reference); my_spec.columns['age'].min, my_spec.columns['age'].max "
            "= 18, 85; my_spec.rules.append(Rule('capital_loss', '<=', 5000))`",
            explanation="A specification is edited like any object and saved as JSON (with its save method), "
            "so it can be reviewed, versioned and signed with the data.",
        ),
    }
