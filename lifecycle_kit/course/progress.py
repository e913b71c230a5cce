"""Learner progress: every self-check attempt, recorded as the question announces it.

A question that knows its notebook and key (:func:`lifecycle_kit.course.selfchecks.for_notebook`
sets both) announces each check and each reveal of its solution
(:mod:`lifecycle_kit.course.events`); this module listens from the moment it is
imported (the self-check catalogue imports it) and appends one JSON line to the
learner's progress file, whether the answer came from a widget, a code cell or a
test. A line holds the notebook, the question key, the verdict, the
attempt number and the time — never the answer itself::

    {"schema": 1, "user": "ada", "notebook": "04_data_acquisition", "question": "backdoor_success",
     "event": "check", "status": "incorrect", "correct": false, "attempt": 1,
     "time": "2026-11-29T07:05:12.345Z"}

``attempt`` counts this user's checks of this question over the whole file (1 for
the first); on a ``reveal`` line it is the number of checks made before the
reveal (0 when the solution was shown before any answer). Unanswered checks are
not recorded. A ``skip`` line (status ``"unanswered"``) says the learner chose not
to answer the question (the pre-test can be skipped,
:mod:`lifecycle_kit.course.assessment`); its ``attempt`` is, as for a reveal, the
number of checks before it. A skip is written as schema 2 (below), so that a kit
from before skips existed lists it as a line it cannot read instead of misreading it.

Schema 2 adds what the pre-test and the capstone's investigation need, and nothing
that could hold an answer: the events ``skip`` and ``commit`` (a learner committed
to an answer that is judged later — the suspect, before any evidence) and an optional ``detail``, a
JSON object of at most eight counts or flags (names of lower-case letters and
``_``; values true, false or whole numbers from 0 to 1,000,000)::

    {"schema": 2, "user": "ada", "notebook": "11_capstone_multi_source", "question": "investigation",
     "event": "commit", "status": "unanswered", "correct": false, "attempt": 0,
     "time": "2026-11-29T07:05:12.345Z", "detail": {"reason_words": 14}}

A suspect is a choice and a reason is free text: neither is written here, only
how many words the reason has (the reason stays in the learner's notebook and
lifecycle report). Lines that use neither ``skip``, ``commit`` nor ``detail`` are
still written as schema 1, so an older kit reads them; this kit reads both.

Where: ``$LIFECYCLE_KIT_PROGRESS_FILE`` if set, else ``progress.jsonl`` in the
user's data folder (``platformdirs.user_data_path("lifecycle-kit")``, e.g.
``~/.local/share/lifecycle-kit`` on Linux). ``LIFECYCLE_KIT_PROGRESS=off``
(or ``0``, ``false``, ``no``) turns recording off.

Each line is appended with one ``os.write`` on a file opened with ``O_APPEND``,
under an advisory ``flock`` where the platform has one, so two notebooks open at
once never interleave or lose lines, and attempt numbers stay consistent. The kit
never rewrites or truncates the file: a damaged line is reported by
:func:`read_progress` with its file and line number, and left for the learner to
fix.

Examples
--------
>>> import os, tempfile
>>> from lifecycle_kit.course.progress import read_progress, record
>>> from lifecycle_kit.course.summary import summarise_progress
>>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
>>> record("04_data_acquisition", "backdoor_success", event="check", status="incorrect", path=path)["attempt"]
1
>>> record("04_data_acquisition", "backdoor_success", event="check", status="correct", path=path)["attempt"]
2
>>> frame = read_progress(path)
>>> frame[["question", "status", "attempt"]].values.tolist()
[['backdoor_success', 'incorrect', 1], ['backdoor_success', 'correct', 2]]
>>> row = summarise_progress(frame).set_index("notebook").loc["04_data_acquisition"]
>>> int(row["answered_right"]), int(row["first_try_right"])
(1, 0)
"""

from __future__ import annotations

import json
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit.course.events import AnswerEvent, listen
from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "DETAIL_SCHEMA",
    "EVENTS",
    "SCHEMA",
    "SCHEMAS",
    "STATUSES",
    "check_detail",
    "current_user",
    "progress_file",
    "read_progress",
    "record",
    "record_event",
    "recording_enabled",
]

#: The schema of an ordinary progress line (a check or a revealed solution).
SCHEMA = 1
#: The schema of a line with a ``skip`` or ``commit`` event or a ``detail`` (see the module docstring); both are read.
DETAIL_SCHEMA = 2
#: Every line schema this version reads.
SCHEMAS = (SCHEMA, DETAIL_SCHEMA)
FILE_VARIABLE = "LIFECYCLE_KIT_PROGRESS_FILE"
SWITCH_VARIABLE = "LIFECYCLE_KIT_PROGRESS"
#: What a progress line can record: a check, a revealed solution, a skipped question (the pre-test), a commitment.
EVENTS = ("check", "reveal", "skip", "commit")
_SCHEMA_1_EVENTS = ("check", "reveal")
_MAX_DETAIL = 8  # entries of a detail: a few counts, never a text
_DETAIL_NAME = re.compile(r"[a-z_]{1,32}")
_MAX_DETAIL_VALUE = 1_000_000
#: A check's possible verdicts.
STATUSES = ("correct", "incorrect", "partial", "invalid", "unanswered")
#: The columns of the progress table, in order.
COLUMNS = ["schema", "user", "notebook", "question", "event", "status", "correct", "attempt", "time"]
_OFF = {"off", "0", "false", "no"}
# POSIX guarantees that appends up to PIPE_BUF (4096 bytes on Linux) are not interleaved
# on pipes, and local file systems behave the same for O_APPEND writes; a record is ~250 bytes.
_MAX_LINE = 4000

_lock = threading.Lock()  # flock is per open file; this serialises threads of one kernel
_counts_cache: dict[str, tuple[int, int, int, dict[tuple[Any, ...], int]]] = {}  # path -> (device, inode, bytes counted, {(user, notebook, question): checks})
_warned = False


def progress_file() -> Path:
    """Where this user's progress is recorded.

    Returns
    -------
    pathlib.Path
        ``$LIFECYCLE_KIT_PROGRESS_FILE`` if set, else
        ``platformdirs.user_data_path("lifecycle-kit") / "progress.jsonl"``.

    Examples
    --------
    >>> progress_file().name
    'progress.jsonl'
    """
    override = os.environ.get(FILE_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("lifecycle-kit") / "progress.jsonl"


def recording_enabled() -> bool:
    """False when ``$LIFECYCLE_KIT_PROGRESS`` is ``off``, ``0``, ``false`` or ``no`` (any case)."""
    return os.environ.get(SWITCH_VARIABLE, "").strip().lower() not in _OFF


def current_user() -> str:
    """``$JUPYTERHUB_USER`` on a JupyterHub, else the login name."""
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container with an unnamed uid): still record the progress
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _count_checks(data, counts):
    """Add the check lines in ``data`` (complete lines only) to ``counts``; damaged lines are skipped here
    (counting must not stop a check) and reported by :func:`read_progress`."""
    for raw in data.splitlines():
        if b'"check"' not in raw:
            continue
        try:
            item = json.loads(raw)
            if item.get("event") == "check":
                key = (item.get("user"), item.get("notebook"), item.get("question"))
                counts[key] = counts.get(key, 0) + 1
        except (ValueError, AttributeError):
            continue


def _lock_file(fd):
    try:
        import fcntl
    except ImportError:  # Windows: O_APPEND alone keeps lines whole; attempt numbers may then race
        return None
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fcntl


def check_detail(detail: Any) -> dict[str, int | bool] | None:
    """A record's ``detail`` as written, or :class:`DamagedLine` saying what is wrong with it.

    >>> check_detail({"reason_words": 12, "suspect_right": False})
    {'reason_words': 12, 'suspect_right': False}
    >>> check_detail({"reason": "because it is untrusted"})
    Traceback (most recent call last):
    ...
    lifecycle_kit.course.progress.DamagedLine: detail 'reason' must be true, false or a whole number from 0 to 1,000,000, found 'because it is untrusted'
    """
    if detail is None:
        return None
    if not isinstance(detail, dict):
        raise DamagedLine(f"detail must be a JSON object, found {type(detail).__name__}")
    if len(detail) > _MAX_DETAIL:
        raise DamagedLine(f"detail holds {len(detail)} entries, at most {_MAX_DETAIL}")
    for name, value in detail.items():
        if not isinstance(name, str) or not _DETAIL_NAME.fullmatch(name):
            raise DamagedLine(f"detail name {_shown(name)} must be 1 to 32 lower-case letters or _")
        number = not isinstance(value, bool) and isinstance(value, int) and 0 <= value <= _MAX_DETAIL_VALUE
        if not (isinstance(value, bool) or number):
            raise DamagedLine(f"detail {name!r} must be true, false or a whole number from 0 to "
                              f"{_MAX_DETAIL_VALUE:,}, found {_shown(value)}")
    return dict(detail)


def record(notebook: str, question: str, *, event: Literal["check", "reveal", "skip", "commit"], status: str,
           path: str | os.PathLike[str] | None = None, user: str | None = None,
           time: str | None = None, detail: dict[str, int | bool] | None = None) -> dict[str, Any]:
    """Append one record to the progress file and return it.

    Parameters
    ----------
    notebook : str
        Notebook name without ``.ipynb`` (``"04_data_acquisition"``).
    question : str
        The question's key in that notebook.
    event : {"check", "reveal", "skip", "commit"}
    status : str
        The feedback status of a check (one of :data:`STATUSES`); ``"unanswered"``
        for a reveal without an answer, a skip and a commitment.
    path : str or Path, default=None
        The progress file (default: :func:`progress_file`).
    user : str, default=None
        Default: :func:`current_user`.
    time : str, default=None
        ISO 8601 UTC time (default: now).
    detail : dict, default=None
        Counts or flags about the answer (never the answer; see the module docstring). A line with a detail or
        a ``skip`` or ``commit`` is written as schema 2.

    Returns
    -------
    dict
        The record as written.

    Raises
    ------
    LifecycleKitError
        On a bad event or status. ``OSError`` when the file cannot be written
        (:func:`record_event`, which the questions call, turns that into a warning).
    """
    if event not in EVENTS:
        raise LifecycleKitError(f"event must be one of {', '.join(EVENTS)}; got {event!r}")
    if status not in STATUSES:
        raise LifecycleKitError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
    try:
        detail = check_detail(detail)
    except DamagedLine as err:
        raise LifecycleKitError(str(err)) from None
    path = Path(path) if path is not None else progress_file()
    user = current_user() if user is None else str(user)
    schema = DETAIL_SCHEMA if detail is not None or event not in _SCHEMA_1_EVENTS else SCHEMA
    item = {"schema": schema, "user": user, "notebook": str(notebook), "question": str(question), "event": event,
            "status": status, "correct": status == "correct", "attempt": 0, "time": time or _now()}
    if detail is not None:
        item["detail"] = detail
    path.parent.mkdir(parents=True, exist_ok=True)
    key = (user, item["notebook"], item["question"])
    with _lock:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl = _lock_file(fd)
            try:
                stat = os.fstat(fd)
                cached = _counts_cache.get(str(path))
                if cached and cached[:2] == (stat.st_dev, stat.st_ino) and cached[2] <= stat.st_size:
                    start, counts = cached[2], cached[3]
                else:  # first use, or the file was replaced or shortened by hand: count from the start
                    start, counts = 0, {}
                os.lseek(fd, start, os.SEEK_SET)
                data = b""
                while len(data) < stat.st_size - start:
                    chunk = os.read(fd, stat.st_size - start - len(data))
                    if not chunk:
                        break
                    data += chunk
                _count_checks(data, counts)
                done = counts.get(key, 0)
                item["attempt"] = done + 1 if event == "check" else done
                line = json.dumps(item, ensure_ascii=False, separators=(", ", ": ")) + "\n"
                encoded = line.encode("utf-8")
                # A last line without its newline (a crash, a hand edit) must not swallow this record.
                if stat.st_size > 0 and not data.endswith(b"\n"):
                    if data:
                        last = data[-1:]
                    else:  # counted before: look at the last byte (os.pread is not on Windows)
                        os.lseek(fd, stat.st_size - 1, os.SEEK_SET)
                        last = os.read(fd, 1)
                    if last != b"\n":
                        encoded = b"\n" + encoded
                if len(encoded) > _MAX_LINE:
                    raise LifecycleKitError(f"a progress record must be under {_MAX_LINE} bytes; "
                                            f"notebook {notebook!r} and question {question!r} are too long")
                written = os.write(fd, encoded)  # one write: with O_APPEND the line lands whole at the end
                if written != len(encoded):
                    raise OSError(f"short write to {path}: {written} of {len(encoded)} bytes (disk full?)")
                if event == "check":
                    counts[key] = done + 1
                _counts_cache[str(path)] = (stat.st_dev, stat.st_ino, stat.st_size + written, counts)
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return item


def record_event(notebook: str, question: str, *, event: Literal["check", "reveal", "skip", "commit"],
                 status: str, detail: dict[str, int | bool] | None = None) -> dict[str, Any] | None:
    """What a question calls on each check or reveal: record unless turned off; never raise.

    Unanswered checks are not recorded. A failure to write (a read-only home, a
    full disk) becomes one warning per session, so the learner's check still
    works.
    """
    global _warned
    if not notebook or not question or not recording_enabled():
        return None
    if event == "check" and status == "unanswered":
        return None
    try:
        return record(notebook, question, event=event, status=status, detail=detail)
    except Exception as err:  # recording is a side effect: it must never break the learner's check
        if not _warned:
            _warned = True
            try:
                where = str(progress_file())
            except Exception:  # the location itself is what failed
                where = "your progress file"
            warnings.warn(f"your self-check progress could not be recorded in {where} "
                          f"({type(err).__name__}: {err}); the checks still work. Set {SWITCH_VARIABLE}=off to "
                          f"stop recording, or {FILE_VARIABLE} to a writable file.", RuntimeWarning, stacklevel=3)
        return None


def _record_answer(event: AnswerEvent) -> None:
    record_event(event.notebook, event.question, event=event.event, status=event.status,
                 detail=getattr(event, "detail", None))


listen(_record_answer)


# A line the kit writes is under _MAX_LINE bytes; twice that is room for a hand edit. Longer lines are not
# records: they are reported without being held whole (an 8 GiB file of zeros is one "line").
MAX_LINE_BYTES = 2 * _MAX_LINE
LINE_TOO_LONG = f"longer than {MAX_LINE_BYTES} bytes, so not a record the kit writes"
_MAX_ATTEMPT = 1_000_000  # a learner checks a question a few times; a bound keeps the count a 64-bit integer
_YEARS = (1970, 2200)  # times the kit could have written, and that every pandas resolution holds
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?")


class DamagedLine(ValueError):
    """What is wrong with one line of a progress file (its file and number are added by the reader)."""


def _damaged(path, number, what):
    return LifecycleKitError(
        f"{path}, line {number}: {what}. Each line must be one JSON progress record written by the kit. "
        "The kit never changes this file: correct or delete that line in a text editor, or move the file "
        "elsewhere to start a new record.")


def _shown(value, limit=60):
    """``repr(value)``, cut to ``limit`` characters: a message quotes a damaged value, not all of it."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"



# A progress record is a flat object; a line nested deeper than this is damaged, whatever it holds.
_MAX_NESTING = 32


def _nesting(text):
    """How deep the brackets of a JSON text go (outside its strings)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_line(raw: bytes) -> dict[str, Any]:
    """One line of a progress file as a checked record (its time a calendar date and time with a zone).

    Raises
    ------
    DamagedLine
        What is wrong with the line, in words (its file and number are the caller's).
    """
    if len(raw) > MAX_LINE_BYTES:
        raise DamagedLine(LINE_TOO_LONG)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DamagedLine(f"not UTF-8 text (byte {err.start})") from None
    if _nesting(text) > _MAX_NESTING:
        # Said the same on every Python: how deep json.loads recurses before RecursionError differs between them.
        raise DamagedLine("not a progress record (JSON nested too deeply)")
    try:
        item = json.loads(text)
    except RecursionError:
        raise DamagedLine("not a progress record (JSON nested too deeply)") from None
    except ValueError as err:
        raise DamagedLine(f"not valid JSON ({getattr(err, 'msg', err)} at column {getattr(err, 'colno', '?')})"
                          ) from None
    if not isinstance(item, dict):
        raise DamagedLine(f"expected a JSON object, found {type(item).__name__}")
    missing = [c for c in COLUMNS if c not in item]
    if missing:
        raise DamagedLine(f"missing field(s) {', '.join(missing)}")
    if isinstance(item["schema"], bool) or item["schema"] not in SCHEMAS:
        raise DamagedLine(f"schema {_shown(item['schema'])}, expected {SCHEMA} or {DETAIL_SCHEMA} (written by "
                          "another version of the kit?)")
    for name in ("user", "notebook", "question"):
        value = item[name]
        if not isinstance(value, str) or not value:
            raise DamagedLine(f"{name} must be a non-empty string, found {_shown(value)}")
        try:
            if not value.isascii():
                value.encode("utf-8")
        except UnicodeEncodeError as err:  # "\udc80" in JSON is a lone surrogate: not text any file can hold
            raise DamagedLine(f"{name} holds a lone surrogate (\\u{ord(value[err.start]):04x}), not text") from None
    events = EVENTS if item["schema"] == DETAIL_SCHEMA else _SCHEMA_1_EVENTS
    if item["event"] not in events:
        raise DamagedLine(f"event must be one of {', '.join(events)} in a schema {item['schema']} line, found "
                          f"{_shown(item['event'])}")
    detail = check_detail(item.get("detail")) if item["schema"] == DETAIL_SCHEMA else None
    if item["status"] not in STATUSES:
        raise DamagedLine(f"status must be one of {', '.join(STATUSES)}, found {_shown(item['status'])}")
    if not isinstance(item["correct"], bool) or item["correct"] != (item["status"] == "correct"):
        raise DamagedLine(f"correct is {_shown(item['correct'])} but status is {item['status']!r}")
    attempt = item["attempt"]
    least = 1 if item["event"] == "check" else 0
    if isinstance(attempt, bool) or not isinstance(attempt, int) or not least <= attempt <= _MAX_ATTEMPT:
        raise DamagedLine(f"attempt must be a whole number from {least} to {_MAX_ATTEMPT:,} for a "
                          f"{item['event']}, found {_shown(attempt)}")
    time = item["time"]
    match = _TIME.fullmatch(time) if isinstance(time, str) else None
    try:
        when = datetime.fromisoformat(time) if match else None
    except ValueError:
        when = None
    if when is None:
        raise DamagedLine(f"time {_shown(time)} is not an ISO 8601 time (a calendar date and time such as "
                          "2026-11-29T07:05:12.345Z)")
    if when.tzinfo is None:
        raise DamagedLine(f"time {time!r} has no time zone (expected UTC, ending in Z)")
    if not _YEARS[0] <= when.astimezone(timezone.utc).year <= _YEARS[1]:
        raise DamagedLine(f"time {time!r} is outside the years {_YEARS[0]} to {_YEARS[1]}")
    return {**{c: item[c] for c in COLUMNS}, "detail": detail}


def read_lines(read: Callable[[int], bytes], *, limit: int | None = None,
               chunk: int = 1 << 16) -> Iterator[tuple[int, bytes | None]]:
    r"""``(line number, bytes)`` for each line read with ``read(n)``, holding at most a chunk and a line at once.

    A line longer than :data:`MAX_LINE_BYTES` comes as ``(number, None)``, never
    held whole. With ``limit``, reading stops after that many bytes, and a line the
    limit cut in two is left out (the caller says the file was cut). A trailing
    ``\r`` is removed; blank lines are left out.

    >>> import io
    >>> list(read_lines(io.BytesIO(b'a\r\n\nb').read))
    [(1, b'a'), (3, b'b')]
    >>> list(read_lines(io.BytesIO(b'x' * 20000 + b'\nok\n').read))
    [(1, None), (2, b'ok')]
    >>> list(read_lines(io.BytesIO(b'one\ntwo\nthree\n').read, limit=6))
    [(1, b'one')]
    >>> list(read_lines(io.BytesIO(b'one\ntwo').read, limit=7))
    [(1, b'one'), (2, b'two')]
    """
    number, pending, too_long, total = 0, b"", False, 0
    while True:
        if limit is not None and total >= limit:
            if read(1):
                return  # cut by the limit: its last, partial line is not judged
            break
        data = read(chunk if limit is None else min(chunk, limit - total))
        if not data:
            break
        total += len(data)
        parts = (pending + data).split(b"\n")
        pending = parts.pop()
        for part in parts:
            number += 1
            if too_long or len(part) > MAX_LINE_BYTES:
                yield number, None
            elif part.strip():
                yield number, part.removesuffix(b"\r")
            too_long = False
        if len(pending) > MAX_LINE_BYTES:
            pending, too_long = b"", True
    if too_long or pending.strip():
        number += 1
        yield number, None if too_long else pending.removesuffix(b"\r")


def records_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The frame :func:`read_progress` returns, from records checked by :func:`parse_line` (plus source, line)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*COLUMNS, "source", "line", "detail"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    frame["correct"] = frame["correct"].astype(bool)
    for column in ("schema", "attempt", "line"):
        frame[column] = frame[column].astype("int64")
    return frame


def read_progress(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> pd.DataFrame:
    """Read one or more progress files into a frame, checking every line.

    The files are read line by line (a line longer than :data:`MAX_LINE_BYTES`
    is damaged, and never held whole). The class report reads learners' files
    its own way (:mod:`lifecycle_kit.course.class_report`): a damaged line there is
    reported and left out, not an error.

    Parameters
    ----------
    paths : str, Path or list of them

    Returns
    -------
    pandas.DataFrame
        One row per record: the fields of :data:`COLUMNS` (``time`` as UTC
        timestamps) plus ``source`` (the file), ``line`` (its line number) and
        ``detail`` (a dict on schema-2 lines that have one, else None).

    Raises
    ------
    LifecycleKitError
        When a file is missing or a line is damaged: the message names the file,
        the line and what is wrong, and says how to proceed. The file is never
        changed.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    rows = []
    for path in paths:
        path = Path(path)
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            raise LifecycleKitError(f"{path}: no such progress file") from None
        except IsADirectoryError:
            raise LifecycleKitError(f"{path}: is a folder, not a progress file") from None
        with handle:
            for number, raw in read_lines(handle.read):
                try:
                    if raw is None:
                        raise DamagedLine(LINE_TOO_LONG)
                    item = parse_line(raw)
                except DamagedLine as err:
                    raise _damaged(path, number, err) from None
                rows.append({**item, "source": str(path), "line": number})
    return records_frame(rows)


def question_outcomes(frame):
    """Per learner and question: checks, right at some point, right at the first try, revealed.

    The first try is the check numbered 1, and counts only when the solution
    was not revealed before it. ``revealed_before_right`` is true when the
    solution was revealed before any right answer (or with none at all).

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`read_progress`.

    Returns
    -------
    pandas.DataFrame
        Columns ``user, notebook, question, checks, answered_right, first_try_right, revealed,
        revealed_before_right``.
    """
    import pandas as pd

    columns = ["user", "notebook", "question", "checks", "answered_right", "first_try_right", "revealed",
               "revealed_before_right"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "checks" else bool if i > 3 else object)
                             for i, c in enumerate(columns)})
    keys = ["user", "notebook", "question"]
    checks = frame[frame["event"] == "check"]
    reveals = frame[frame["event"] == "reveal"]
    out = frame[keys].drop_duplicates().set_index(keys)
    out["checks"] = checks.groupby(keys).size()
    out["answered_right"] = checks.groupby(keys)["correct"].any()
    # Order comes from attempt numbers, not times (a clock can move): the first try is check 1, and a
    # reveal's attempt is the number of checks made before it.
    first_reveal = reveals.groupby(keys)["attempt"].min()
    first_right = checks[checks["correct"]].groupby(keys)["attempt"].min()
    first_try = checks[checks["attempt"] == 1].groupby(keys)["correct"].any()
    seen_first = first_reveal[first_reveal == 0].index  # a check after seeing the solution is no first try
    out["first_try_right"] = first_try[~first_try.index.isin(seen_first)]
    out["revealed"] = reveals.groupby(keys).size() > 0
    before = pd.concat([first_reveal.rename("reveal"), first_right.rename("right")], axis=1)
    out["revealed_before_right"] = before["reveal"].notna() & ~(before["right"] <= before["reveal"])
    out = out.fillna({"checks": 0, "answered_right": False, "first_try_right": False, "revealed": False,
                      "revealed_before_right": False})
    out["checks"] = out["checks"].astype("int64")
    for column in ("answered_right", "first_try_right", "revealed", "revealed_before_right"):
        out[column] = out[column].astype(bool)
    return out.reset_index()[columns]
