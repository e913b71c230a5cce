"""Stage 7 practice: the unit-change contract catches the serving lab's centimetres bug, which ranges miss."""

import pytest

from lifecycle_kit.course.selfchecks.system_deployment import _unit_change_columns
from lifecycle_kit.datasets import load
from lifecycle_kit.drift import DeploymentExperiment, seattle_features


@pytest.fixture(scope="module")
def experiment():
    weather = load("seattle_weather")
    return DeploymentExperiment(seattle_features(weather.frame), weather.target, random_state=0)


def test_the_contract_catches_centimetres_that_the_range_check_misses(experiment):
    check = experiment.run("millimetres_to_centimetres", column="precipitation")
    assert not check.groups["ranges and categories"]  # the specification's ranges see nothing
    assert _unit_change_columns(check.batch, experiment.X_ref) == {"precipitation"}


def test_the_contract_raises_no_alarm_on_a_clean_batch(experiment):
    assert _unit_change_columns(experiment.run("none").batch, experiment.X_ref) == set()


def test_the_contract_catches_a_unit_blown_up_a_thousand_times(experiment):
    check = experiment.run("unit_x1000", column="wind")
    assert _unit_change_columns(check.batch, experiment.X_ref) == {"wind"}
