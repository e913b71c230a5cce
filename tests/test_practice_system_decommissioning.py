"""Stage 10 practice: memory beyond files (measured, not asserted from belief) and the k-anonymity exercise."""

import pandas as pd
import pytest

from lifecycle_kit.course.selfchecks.system_decommissioning import _k_anonymity
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.memory_residue import (
    MemoryLock,
    accelerator_libraries,
    lock_in_memory,
    secret_after_del,
    swap_status,
)


def test_del_removes_a_name_and_only_an_in_place_overwrite_wipes():
    steps = secret_after_del(b"token-0123456789").set_index("step")["still_readable"]
    assert steps["del token (the name)"] and steps["a str copy made by decode()"]
    assert steps["the formatted log message"] and steps["overwrite the bytes object"]
    assert not steps["log buffer flushed"]
    assert not steps["bytearray overwritten in place"] and steps["a bytes copy taken before the wipe"]


def test_the_secret_argument_is_left_untouched():
    secret = bytearray(b"keep-me-as-i-am")
    secret_after_del(secret)
    assert secret == b"keep-me-as-i-am"


@pytest.mark.parametrize("bad", ["text", b"abc", 1234])
def test_a_secret_must_be_bytes(bad):
    with pytest.raises(LifecycleKitError, match="secret must be bytes"):
        secret_after_del(bad)


def test_swap_status_reads_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:  100 kB\nSwapTotal:  2048 kB\nSwapFree:  1024 kB\n")
    assert swap_status(meminfo=meminfo) == {"swap_total_kib": 2048, "swap_free_kib": 1024, "swap_in_use": True}
    assert swap_status(meminfo=tmp_path / "absent") is None
    meminfo.write_text("MemTotal:  100 kB\n")
    assert swap_status(meminfo=meminfo) is None


def test_lock_in_memory_answers_and_leaves_the_buffer_usable():
    buffer = bytearray(b"secret bytes")
    lock = lock_in_memory(buffer)
    assert isinstance(lock, MemoryLock) and (lock.locked or lock.error)
    buffer.extend(b"!")  # the ctypes export is released: the buffer can grow again
    with pytest.raises(LifecycleKitError):
        lock_in_memory(bytearray())


def test_accelerator_libraries_are_found_without_importing_them():
    import sys

    found = accelerator_libraries()
    assert set(found) == {"torch", "cupy", "jax", "tensorflow"}
    assert all(name not in sys.modules for name, present in found.items() if not present)


def test_k_anonymity_on_adult_grows_as_quasi_identifiers_are_removed():
    from lifecycle_kit.datasets import load

    adult = load("adult").frame.head(2000)
    fine = _k_anonymity(adult, ["age", "sex", "race", "native_country"])
    coarse = _k_anonymity(adult, ["sex", "race"])
    assert fine == 1 and coarse > fine
    assert coarse == adult.groupby(["sex", "race"]).size().min()


def test_k_anonymity_counts_a_missing_quasi_identifier_as_a_value():
    frame = pd.DataFrame({"a": ["x", "x", None, None, None], "b": [1, 1, 2, 2, 2]})
    assert _k_anonymity(frame, ["a", "b"]) == 2 and _k_anonymity(frame, ["b"]) == 2
