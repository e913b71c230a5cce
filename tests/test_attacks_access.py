"""Attacks on the access layer and its audit log (issue 13); each docstring says what the kit did before the fix."""

import pandas as pd
import pytest

from lifecycle_kit import IntegrityError
from lifecycle_kit.integrity import generate_keypair
from lifecycle_kit.platform import AccessDenied, AccessLayer, AuditLog, Scope

AUDITOR = generate_keypair()
FORGER = generate_keypair()


@pytest.fixture
def layer():
    frame = pd.DataFrame({"island": ["Dream", "Biscoe", "Dream", "Torgersen"], "mass": [3500, 4200, 3900, 3300],
                          "id": ["N1A1", "N2A1", "N3A1", "N4A1"], "source": ["survey", "survey", "tags", "survey"]})
    scopes = {"analyst": Scope(columns=["island", "mass"]),
              "partner": Scope(columns=["island", "mass", "source"], rows={"source": ["survey"]})}
    return AccessLayer(frame, scopes)


def _busy(layer, reads=6):
    for _ in range(reads):
        layer.read("analyst", purpose="report")
    try:
        layer.read("analyst", columns=["id"], purpose="curiosity")
    except AccessDenied:
        pass
    return layer.log


# --- the audit log ---------------------------------------------------------------------------------------------------

def test_truncated_tail_verifies(layer):
    """Before: deleting the last entries (the refusal) left a valid chain: verify() said (True, None)."""
    log = _busy(layer)
    checkpoint = log.checkpoint(AUDITOR[0])
    del log.entries[-2:]
    assert log.verify() == (True, None)  # the chain alone cannot see it: that is the lesson
    assert log.verify(checkpoint=checkpoint, public_key=AUDITOR[1]) == (False, len(log.entries))


def test_cleared_log_verifies(layer):
    """Before: an emptied log verified."""
    log = _busy(layer)
    checkpoint = log.checkpoint(AUDITOR[0])
    log.entries.clear()
    assert log.verify(checkpoint=checkpoint, public_key=AUDITOR[1]) == (False, 0)


def test_edited_and_rechained_log_verifies(layer):
    """Before: editing an entry and recomputing every hash after it gave a log that verified."""
    log = _busy(layer)
    checkpoint = log.checkpoint(AUDITOR[0])
    refused = len(log.entries) - 1
    log.entries[refused]["outcome"] = "granted: 4 rows"
    for i in range(refused, len(log.entries)):
        log.entries[i]["previous"] = log.entries[i - 1]["hash"] if i else "0" * 64
        log.entries[i]["hash"] = AuditLog._digest(log.entries[i])
    assert log.verify() == (True, None)
    assert log.verify(checkpoint=checkpoint, public_key=AUDITOR[1]) == (False, refused)


def test_forged_checkpoint_after_truncation(layer):
    """A checkpoint the attacker signs with their own key proves nothing (the kit had no checkpoints before)."""
    log = _busy(layer)
    del log.entries[-1]
    forged = log.checkpoint(FORGER[0])
    with pytest.raises(IntegrityError, match="does not verify"):
        log.verify(checkpoint=forged, public_key=AUDITOR[1])
    grown = _busy(layer, reads=1)  # a log that only grew since its checkpoint still verifies
    assert grown.verify(checkpoint=forged, public_key=FORGER[1]) == (True, None)


# --- access scopes --------------------------------------------------------------------------------------------------

def test_filter_on_a_hidden_column_infers_it(layer):
    """Before: read('analyst', columns=['mass'], where={'id': ['N2A1']}) was granted, revealing N2A1's mass."""
    with pytest.raises(AccessDenied, match="may not filter on column"):
        layer.read("analyst", columns=["mass"], where={"id": ["N2A1"]})
    assert layer.log.entries[-1]["outcome"].startswith("denied") and layer.log.verify() == (True, None)


def test_clearing_scope_rows_lifts_the_limit(layer):
    """Before: Scope.rows was a shared mutable dict: clearing it let the partner read every source."""
    with pytest.raises((TypeError, AttributeError)):
        layer.scopes["partner"].rows.clear()
    with pytest.raises(TypeError):
        layer.scopes["partner"].rows["source"] = ["tags"]
    assert set(layer.read("partner")["source"]) == {"survey"}
    rows = {"source": ["survey"]}
    scope = Scope(columns=["source"], rows=rows)
    rows["source"].append("tags")  # the caller's dict is copied, not shared
    assert scope.rows["source"] == ("survey",)


def test_unknown_filter_column_is_a_keyerror_and_unlogged(layer):
    """Before: where={'nope': [...]} raised KeyError and left no trace in the audit log."""
    before = len(layer.log.entries)
    with pytest.raises(AccessDenied):
        layer.read("analyst", columns=["mass"], where={"nope": [1]})
    assert len(layer.log.entries) == before + 1 and "nope" in layer.log.entries[-1]["outcome"]


def test_string_filter_is_one_value_not_characters(layer):
    """Before: where={'source': 'survey'} was read as the characters s, u, r, v, e, y."""
    assert set(layer.read("partner", where={"source": "survey"})["source"]) == {"survey"}
