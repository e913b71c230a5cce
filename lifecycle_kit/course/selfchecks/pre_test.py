"""The pre-test: form A of the item bank, taken at the start of 00 (see lifecycle_kit.course.assessment)."""


def questions():
    from lifecycle_kit.course.assessment import PRE_TEST, form_questions

    return form_questions(PRE_TEST)
