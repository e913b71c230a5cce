"""Stage 5 demonstrations: an auto-labeller's errors, independent test labels, data in primary form."""

import pytest

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.preparation import auto_labeller_noise, correlation_ratio, independent_test_bias, primary_form_review


def test_an_auto_labeller_adds_systematic_noise_that_the_screen_mostly_misses():
    result = auto_labeller_noise()
    assert (result.n_seed, result.n_pool) == (40, 900)
    assert 0.1 < result.noise_rate < 0.5
    assert result.accuracy_auto_labels < result.accuracy_true_labels - 0.1
    # Its errors concentrate on a few digit pairs...
    assert result.confusions["rows"].iloc[0] >= 0.1 * result.noise_rate * result.n_pool
    assert (result.confusions["true label"] != result.confusions["auto-label"]).all()
    # ...which is why the screen that finds random errors finds far fewer of them.
    assert result.random_recall > 0.8 and result.caught_recall < result.random_recall - 0.3
    assert 0 < result.caught_precision <= 1


def test_a_weaker_labeller_adds_more_noise_and_bad_options_are_refused():
    assert auto_labeller_noise().noise_rate > auto_labeller_noise(n_seed=200).noise_rate
    with pytest.raises(LifecycleKitError, match="model"):
        auto_labeller_noise(model="forest")
    with pytest.raises(LifecycleKitError, match="n_seed"):
        auto_labeller_noise(n_seed=1000, pool_size=900)


def test_the_same_experts_overstate_accuracy_and_hide_their_blind_spot():
    result = independent_test_bias()
    scores = result.scores
    assert result.optimistic_bias > 0.05
    assert scores.loc["same experts", "blind-spot accuracy"] > scores.loc["truth", "blind-spot accuracy"] + 0.3
    assert abs(scores.loc["independent experts", "accuracy"] - scores.loc["truth", "accuracy"]) < 0.05
    assert "mean radius below" in result.blind_spot


def test_experts_without_a_blind_spot_show_no_bias():
    assert independent_test_bias(miss_rate=0).optimistic_bias == 0


def test_correlation_ratio():
    assert correlation_ratio([1, 2, 3], [5, 5, 5]) == 0.0
    with pytest.raises(LifecycleKitError, match="same length"):
        correlation_ratio([1, 2], [1.0])


def test_the_cyclic_encoding_hides_the_commuting_peaks_and_restoring_shows_them():
    review = primary_form_review()
    table = review.table.set_index("column")
    explained = table["share of variance explained"]
    assert explained["hour"] == pytest.approx(explained["restored hour"])
    assert explained["hour_sin"] < 0.7 * explained["hour"] and explained["hour_cos"] < 0.7 * explained["hour"]
    assert review.peaks == [8, 17] and review.max_restore_error < 1e-9
    assert table.loc["hour", "value with most rentals"] == 17
    assert review.by_hour.loc[8] > 2 * review.by_hour.loc[4]
