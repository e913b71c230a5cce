"""The post-test: form B of the item bank, taken in 12_closing (see lifecycle_kit.course.assessment)."""


def questions():
    from lifecycle_kit.course.assessment import POST_TEST, form_questions

    return form_questions(POST_TEST)
