"""Memory elements beyond files: what ``del`` does not destroy in a running process.

Decommissioning a system purges its files; but while a process runs, a secret
also lives in its memory — and ``del`` only removes a *name*. The object stays
alive as long as anything else refers to it (a log buffer, a cache, a library's
own copy), and even when freed, its bytes are not overwritten: the allocator
simply reuses the memory later. From Python:

- an immutable ``bytes`` or ``str`` cannot be overwritten at all, and every
  conversion (``decode``, formatting, a log message) makes another copy;
- a ``bytearray`` can be overwritten in place, so every view of that buffer
  sees zeros — but not the copies made before;
- pages of memory may be written to swap (or a hibernation image, or a core
  dump); ``mlock`` asks the kernel to keep a buffer's pages in RAM, within a
  limit (``RLIMIT_MEMLOCK``);
- accelerator (GPU) memory is managed by the framework's allocator, which keeps
  freed blocks for reuse without clearing them.

:func:`secret_after_del` runs the experiment on a secret and reports, step by
step, where it can still be read. :func:`swap_status`, :func:`lock_in_memory`
and :func:`accelerator_libraries` say what this machine does, measured at run
time. Nothing here reads memory that Python does not own.

Examples
--------
>>> steps = secret_after_del(b"s3cr3t-token")
>>> bool(steps.set_index("step").loc["del token (the name)", "still_readable"])
True
>>> bool(steps.set_index("step").loc["bytearray overwritten in place", "still_readable"])
False
"""

from __future__ import annotations

import ctypes
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from typing import TypedDict

    class _SwapStatus(TypedDict):
        swap_total_kib: int
        swap_free_kib: int
        swap_in_use: bool

__all__ = ["MemoryLock", "accelerator_libraries", "lock_in_memory", "secret_after_del", "swap_status"]


# The steps of secret_after_del, as a reader reads them (lifecycle_kit.display); the frame keeps the English.
STEP_LABELS = {"del token (the name)": N_("del token (the name)"),
               "a str copy made by decode()": N_("a str copy made by decode()"),
               "the formatted log message": N_("the formatted log message"),
               "overwrite the bytes object": N_("overwrite the bytes object"),
               "log buffer flushed": N_("log buffer flushed"),
               "bytearray overwritten in place": N_("bytearray overwritten in place"),
               "a bytes copy taken before the wipe": N_("a bytes copy taken before the wipe")}
vocabulary(headings={"step": N_("step"), "still_readable": N_("still readable"), "where": N_("where"), "detail": N_("detail")},
           values={"step": STEP_LABELS})


def secret_after_del(secret: bytes | bytearray) -> pd.DataFrame:
    """Follow a secret through ``del``, a library's copies and an in-place overwrite.

    Parameters
    ----------
    secret : bytes or bytearray
        The secret (at least 4 bytes), e.g. a token or a key.

    Returns
    -------
    pandas.DataFrame
        One row per step: ``step, still_readable, where, detail``; every
        ``still_readable`` is measured by reading the object back.
    """
    if not isinstance(secret, (bytes, bytearray)) or len(secret) < 4:
        raise LifecycleKitError(f"secret must be bytes of length >= 4; got {type(secret).__name__}")
    rows = []

    def record(step, readable, where, detail):
        rows.append({"step": step, "still_readable": bool(readable), "where": where, "detail": detail})

    # A logger buffering its records, as a debugging or audit handler does: the record keeps its arguments.
    logger = logging.getLogger(f"lifecycle_kit.memory_residue.{id(rows)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = logging.handlers.BufferingHandler(capacity=16)
    logger.addHandler(handler)
    try:
        token = bytes(secret)
        text = token.decode("latin-1")  # a conversion: a second, independent copy (a str)
        logger.debug("authenticating with %r", token)
        references = sys.getrefcount(token) - 1  # minus the argument of getrefcount itself
        del token
        # The record's args are the tuple of the call above. Typed Any: the experiment below tries to write into
        # this bytes object, which Python refuses at run time.
        kept: Any = cast("tuple[Any, ...]", handler.buffer[0].args)[0]
        # The step names are keys (tests and notebooks look rows up by them); where and detail are said to a person.
        record("del token (the name)", kept == secret, _("the log handler's buffered record"),
               _("{references} references existed before del; the record still holds one, so the object lives on",
                 references=references))
        record("a str copy made by decode()", secret.decode("latin-1") in text, _("an independent str object"),
               _("conversions copy: del of the original does not touch the copy"))
        message = handler.buffer[0].getMessage()
        record("the formatted log message", secret.decode("latin-1") in message, _("the text of the log record"),
               _("formatting made one more copy"))
        try:
            kept[0:1] = b"\x00"
            overwritten = True
        except TypeError:
            overwritten = False
        record("overwrite the bytes object", not overwritten, _("bytes are immutable"),
               _("Python refuses to change a bytes object in place: it can only be dropped, not wiped"))
        del kept
        handler.flush()  # BufferingHandler.flush empties the buffer: drop the record and its arguments
        record("log buffer flushed", bool(handler.buffer), _("no reference left from Python"),
               _("unreachable from Python; the freed memory is not zeroed, only reused later"))
    finally:
        logger.removeHandler(handler)
        handler.close()

    buffer = bytearray(secret)
    view = memoryview(buffer)  # what a library holding the buffer would see
    address_before = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
    early_copy = bytes(buffer)  # a copy made before the wipe, as any bytes(...) call makes
    buffer[:] = bytes(len(buffer))  # overwrite in place: same memory, now zeros
    address_after = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
    record("bytearray overwritten in place", secret in view.tobytes(),
           _("the same memory, seen through a view"),
           _("the address is the same before and after") if address_before == address_after
           else _("the address changed: the buffer was moved"))
    record("a bytes copy taken before the wipe", early_copy == bytes(secret), _("an independent bytes object"),
           _("wiping the buffer cannot reach the copies already made"))
    view.release()
    return pd.DataFrame(rows, columns=["step", "still_readable", "where", "detail"])


def swap_status(*, meminfo: str | os.PathLike[str] = "/proc/meminfo") -> _SwapStatus | None:
    """Swap on this machine (Linux): ``{"swap_total_kib", "swap_free_kib", "swap_in_use"}``, or None elsewhere."""
    path = Path(meminfo)
    if not path.is_file():
        return None
    values = {}
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        name, _, rest = line.partition(":")
        if name in ("SwapTotal", "SwapFree") and rest.split():
            values[name] = int(rest.split()[0])
    if len(values) < 2:
        return None
    return {"swap_total_kib": values["SwapTotal"], "swap_free_kib": values["SwapFree"],
            "swap_in_use": values["SwapTotal"] > 0}


@dataclass(frozen=True)
class MemoryLock:
    """What ``mlock`` answered for one buffer: ``locked``, and why not (``error``) with the limit in bytes."""

    locked: bool
    error: str
    limit_bytes: int | None


def lock_in_memory(buffer: bytearray) -> MemoryLock:
    """Ask the kernel to keep a ``bytearray``'s pages in RAM (never swapped), then release them.

    Returns what happened on this machine; the lock is undone before returning
    (a real program keeps it while the secret lives, then wipes and unlocks).
    """
    if not isinstance(buffer, bytearray) or not buffer:
        raise LifecycleKitError("lock_in_memory needs a non-empty bytearray")
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
        limit = None if soft == resource.RLIM_INFINITY else soft
    except (ImportError, ValueError, OSError):
        limit = None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        mlock, munlock = libc.mlock, libc.munlock
    except (OSError, AttributeError):
        return MemoryLock(False, "mlock is not available on this platform", limit)
    mlock.argtypes = munlock.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    cell = (ctypes.c_char * len(buffer)).from_buffer(buffer)
    try:
        address = ctypes.addressof(cell)
        if mlock(address, len(buffer)) != 0:
            return MemoryLock(False, os.strerror(ctypes.get_errno()), limit)
        munlock(address, len(buffer))
        return MemoryLock(True, "", limit)
    finally:
        del cell  # release the export so the buffer can be resized again


def accelerator_libraries() -> dict[str, bool]:
    """Which GPU array libraries are installed here (found, never imported): ``{name: bool}``."""
    import importlib.util

    return {name: importlib.util.find_spec(name) is not None for name in ("torch", "cupy", "jax", "tensorflow")}
