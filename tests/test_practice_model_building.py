"""Stage 6 practice: the gate condition blocks the bad penguins and lets the good ones through."""

from lifecycle_kit.course.selfchecks.model_building import _gate_condition
from lifecycle_kit.datasets import load
from lifecycle_kit.quality import inject_defects


def test_the_gate_condition_separates_the_good_set_from_the_bad_ones():
    penguins = load("penguins")
    good = penguins.frame.dropna().assign(species=penguins.target)
    assert _gate_condition(good, "species")
    holed, _ = inject_defects(good, missing=0.1, target="species", random_state=0)
    assert not _gate_condition(holed, "species")
    contradicted = good.copy()
    contradicted.iloc[1, :-1] = contradicted.iloc[0, :-1]
    contradicted.iloc[1, -1] = "Gentoo" if contradicted.iloc[0, -1] != "Gentoo" else "Adelie"
    assert not _gate_condition(contradicted, "species")
