"""Progress bars (tqdm) on long work: silent unless a person is watching or a bar is asked for."""

import io
import sys

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit import _progress_bar as pb


class _Terminal(io.StringIO):
    def isatty(self):
        return True


class _Captured:
    """pytest's captured stderr (not a terminal), read as it grows."""

    def __init__(self, capsys):
        self.capsys, self.text = capsys, ""

    def getvalue(self):
        self.text += self.capsys.readouterr().err
        return self.text


@pytest.fixture
def stderr(monkeypatch, capsys):
    """pytest's captured stderr, which is not a terminal, with the environment switch unset."""
    monkeypatch.delenv(pb.ENVIRONMENT_VARIABLE, raising=False)
    return _Captured(capsys)


def _drain(bar):
    for _ in bar:
        pass
    bar.close()


def test_silent_when_stderr_is_not_a_terminal(stderr):
    assert not pb.progress_enabled("auto", total=100)
    _drain(pb.progress_bar(range(100), desc="work"))
    assert stderr.getvalue() == ""


def test_a_bar_appears_when_forced(stderr):
    _drain(pb.progress_bar(range(100), desc="work", progress=True))
    assert "work:" in stderr.getvalue() and "/100" in stderr.getvalue()


def test_auto_shows_a_bar_on_a_terminal_for_long_work_only(monkeypatch):
    monkeypatch.delenv(pb.ENVIRONMENT_VARIABLE, raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    _drain(pb.progress_bar(range(3), desc="short", min_total=10))
    assert terminal.getvalue() == ""
    _drain(pb.progress_bar(range(30), desc="long", min_total=10))
    assert "long" in terminal.getvalue()


def test_keyword_and_environment_variable_disable(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv(pb.ENVIRONMENT_VARIABLE, raising=False)
    _drain(pb.progress_bar(range(50), desc="quiet", progress=False))
    assert terminal.getvalue() == ""
    for off in ("off", "OFF", "0"):
        monkeypatch.setenv(pb.ENVIRONMENT_VARIABLE, off)
        _drain(pb.progress_bar(range(50), desc="quiet", progress=True))  # the environment wins
        assert terminal.getvalue() == ""
    monkeypatch.setenv(pb.ENVIRONMENT_VARIABLE, "on")
    log = io.StringIO()  # not a terminal, but asked for
    monkeypatch.setattr(sys, "stderr", log)
    _drain(pb.progress_bar(range(50), desc="logged"))
    assert "logged" in log.getvalue()


def test_bad_setting_is_a_lifecycle_kit_error():
    with pytest.raises(LifecycleKitError, match="progress must be"):
        pb.progress_enabled("sometimes")


def test_poisoning_sweep_bar_forced_silent_and_callback(stderr):
    from lifecycle_kit.poisoning import PoisoningExperiment

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=list("abc"))
    y = (X["a"] > 0).astype(int).to_numpy()
    experiment = PoisoningExperiment(X, y)
    experiment.curve((0.0, 0.1, 0.2))
    assert stderr.getvalue() == ""  # auto, not a terminal
    calls = []
    experiment.curve((0.0, 0.1), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)] and stderr.getvalue() == ""
    experiment.curve((0.0, 0.1, 0.2), progress=True)
    assert "poisoning sweep" in stderr.getvalue()


def test_domain_classifier_and_manifest_bars_when_forced(stderr, tmp_path):
    from lifecycle_kit.drift import domain_classifier
    from lifecycle_kit.integrity import build_manifest

    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.normal(size=300)})
    domain_classifier(ref, ref + 1, bootstrap=10)
    assert stderr.getvalue() == ""
    domain_classifier(ref, ref + 1, bootstrap=10, progress=True)
    assert "domain classifier" in stderr.getvalue()
    for i in range(3):
        (tmp_path / f"f{i}.csv").write_text("x\n1\n")
    plain = build_manifest(tmp_path)
    assert "hashing files" not in stderr.getvalue()
    assert build_manifest(tmp_path, progress=True).files == plain.files
    assert "hashing files" in stderr.getvalue()
