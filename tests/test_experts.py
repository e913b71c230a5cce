import numpy as np
import pytest
from scipy.stats import friedmanchisquare

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.experts import (
    aggregate,
    compare_aggregates,
    evaluate_panel,
    expert_agreement,
    kendalls_w,
    krippendorffs_alpha,
    simulate_panel,
)

nan = np.nan
KRIPPENDORFF_2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
                     [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
WIKIPEDIA = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
             [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
             [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]


@pytest.mark.parametrize("level,expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_matches_krippendorff_2011_worked_example(level, expected):
    assert round(krippendorffs_alpha(KRIPPENDORFF_2011, level=level), 3) == expected


@pytest.mark.parametrize("level,expected", [("nominal", 0.691), ("interval", 0.811)])
def test_alpha_matches_the_wikipedia_example(level, expected):
    assert round(krippendorffs_alpha(WIKIPEDIA, level=level), 3) == expected


def test_kendalls_w_textbook_example_and_extremes():
    judges = np.array([[1, 3, 4, 5, 2, 8, 6, 7, 10, 9], [2, 1, 4, 5, 6, 3, 8, 7, 10, 9],
                       [3, 2, 1, 5, 7, 4, 6, 8, 9, 10], [4, 2, 3, 1, 6, 7, 5, 9, 8, 10]])
    assert kendalls_w(judges) == pytest.approx(12 * 1048 / (16 * (1000 - 10)))
    assert kendalls_w([[1, 2, 3], [1, 2, 3]]) == 1.0
    assert kendalls_w([[1, 2, 3, 4], [4, 3, 2, 1]]) == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_kendalls_w_with_ties_equals_friedman_statistic(seed):
    ratings = np.random.default_rng(seed).integers(1, 5, (6, 9)).astype(float)
    m, n = ratings.shape
    assert kendalls_w(ratings) == pytest.approx(friedmanchisquare(*ratings.T).statistic / (m * (n - 1)))


@pytest.mark.parametrize("bad,match", [([[1, 2]], "at least 2 experts"), ([[1, nan], [2, 3]], "missing values"),
                                       ([[1, 1], [1, 1]], "W is undefined"), ([1, 2, 3], "2-D matrix")])
def test_kendalls_w_bad_input(bad, match):
    with pytest.raises(LifecycleKitError, match=match):
        kendalls_w(bad)


def test_alpha_bad_input():
    with pytest.raises(LifecycleKitError, match="level must be one of"):
        krippendorffs_alpha(KRIPPENDORFF_2011, level="cardinal")
    with pytest.raises(LifecycleKitError, match="at least two different values"):
        krippendorffs_alpha([[1, 1], [1, 1]])
    with pytest.raises(LifecycleKitError, match="at least one item scored by two"):
        krippendorffs_alpha([[1, nan], [nan, 2]])


def test_aggregations_by_hand():
    ratings = np.array([[1.0, 5.0], [2.0, 6.0], [3.0, 7.0], [10.0, 0.0]])
    assert aggregate(ratings, method="mean").tolist() == [4.0, 4.5]
    assert aggregate(ratings, method="median").tolist() == [2.5, 5.5]
    assert aggregate(ratings, method="trimmed", trim=0.25).tolist() == [2.5, 5.5]
    assert aggregate(ratings, method="weighted", weights=[1, 1, 1, 0]).tolist() == [2.0, 6.0]
    agreement = aggregate(ratings, method="agreement")
    assert agreement.tolist() == pytest.approx([2.0, 6.0])  # the contrarian gets weight zero
    with pytest.raises(LifecycleKitError, match="needs weights"):
        aggregate(ratings, method="weighted")
    with pytest.raises(LifecycleKitError, match="method must be one of"):
        aggregate(ratings, method="mode")


def test_missing_ratings_are_ignored_in_aggregates():
    ratings = np.array([[1.0, nan], [3.0, 4.0], [5.0, 6.0]])
    assert aggregate(ratings, method="mean").tolist() == [3.0, 5.0]
    assert aggregate(ratings, method="weighted", weights=[1, 1, 2]).tolist() == pytest.approx([14 / 4, 16 / 3])


def test_simulated_panel_kinds_and_agreement():
    panel = simulate_panel(n_items=10, n_honest=5, n_careless=1, n_adversarial=1, random_state=0)
    assert panel.kinds == ["honest"] * 5 + ["careless", "adversarial"]
    assert panel.ratings.shape == (7, 10) and panel.ratings.isin(range(1, 11)).all().all()
    table = expert_agreement(panel.ratings)
    flagged = table.loc[table["outlying"], "expert"].tolist()
    assert "adversarial_7" in flagged and not any(e.startswith("honest") for e in flagged)


@pytest.mark.parametrize("seed", range(5))
def test_robust_aggregates_beat_the_mean_with_an_adversary(seed):
    panel = simulate_panel(n_items=10, n_honest=6, n_adversarial=1, random_state=seed)
    errors = compare_aggregates(panel.ratings, panel.truth, weights=panel.qualification)
    assert errors["median"] < errors["mean"] and errors["agreement"] < errors["mean"]
    assert errors["trimmed"] < errors["mean"]


def test_adversary_halves_kendalls_w():
    honest = evaluate_panel(simulate_panel(n_honest=7, n_adversarial=0, random_state=0))
    inverted = evaluate_panel(simulate_panel(n_honest=6, n_adversarial=1, random_state=0))
    assert honest.kendalls_w > 0.85 and inverted.kendalls_w < 0.6 and inverted.alpha < honest.alpha


@pytest.mark.parametrize("seed", range(5))
def test_qualification_weighting_is_favoured_only_when_dishonest_experts_are_less_qualified(seed):
    kwargs = dict(n_items=10, n_honest=6, n_adversarial=1, random_state=seed)
    favoured = simulate_panel(**kwargs)
    neutral = simulate_panel(dishonest_less_qualified=False, **kwargs)
    assert favoured.ratings.equals(neutral.ratings)
    favoured_error = compare_aggregates(favoured.ratings, favoured.truth, weights=favoured.qualification)["weighted"]
    neutral_error = compare_aggregates(neutral.ratings, neutral.truth, weights=neutral.qualification)["weighted"]
    assert neutral_error > favoured_error


@pytest.mark.parametrize("kwargs,match", [({"n_honest": 1, "n_adversarial": 0}, "at least 2 experts"),
                                          ({"n_items": 1}, "n_items must be in"),
                                          ({"noise": -1}, "noise must be in"), ({"scale": (5, 1)}, "low < high"),
                                          ({"dishonest_less_qualified": "no"}, "must be True or False")])
def test_simulate_panel_bad_arguments(kwargs, match):
    with pytest.raises(LifecycleKitError, match=match):
        simulate_panel(**kwargs)
