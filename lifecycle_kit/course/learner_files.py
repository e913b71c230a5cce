"""Learners' progress files, collected for the class report: each one its home's, none through a link.

A class report reads files that learners can write, and on a hub the process
that reads them runs as root. So, unlike a learner reading their own file
(:func:`lifecycle_kit.course.progress.read_progress`), collecting a class's files

- names each file's learner by where it lives, not by what it says: a home named
  with its learner (``learners={"ada": "/var/lib/private/ada"}``), or, in a
  folder of homes (``/home``), the folder directly inside it (``/home/ada/...``
  is ada's). The ``user`` field of a record is only what it claims: a claim for
  someone else is reported and counted as the home's learner's, never charged
  to the one named;
- follows no link: every folder is opened relative to its parent's descriptor
  with ``O_NOFOLLOW`` (a link swapped in mid-walk is refused, not followed), and
  a ``progress.jsonl`` that is a link, or a home that is one, is skipped and
  reported; so is a file with hard links or owned by someone other than its
  home's owner (another person's file, linked in);
- reads at most :data:`MAX_FILE_BYTES` of a file, a line at a time (a line longer
  than :data:`~lifecycle_kit.course.progress.MAX_LINE_BYTES` is never held whole),
  at most :data:`MAX_FILES_PER_LEARNER` files per learner, and searches a home at
  most :data:`MAX_DEPTH` folders deep and :data:`MAX_ENTRIES` entries wide;
- reports a damaged line and goes on: one learner's file never stops the report.

Everything that was skipped or cut is a :class:`Problem` the report shows.

Examples
--------
>>> import os, tempfile
>>> from lifecycle_kit.course.progress import record
>>> homes = tempfile.mkdtemp()
>>> mine = os.path.join(homes, "ada", ".local", "share", "lifecycle-kit", "progress.jsonl")
>>> _ = record("00_start_here", "trust_stage", event="check", status="correct", path=mine, user="bob")
>>> found = collect_progress(paths=[homes])
>>> [(r["user"], r["recorded_user"]) for r in found.records]
[('ada', 'bob')]
>>> [p.what for p in found.problems]
["1 record(s) name another user (bob): counted as ada's, not theirs"]
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _

__all__ = ["FILE_NAME", "MAX_DEPTH", "MAX_ENTRIES", "MAX_FILES_PER_LEARNER", "MAX_FILE_BYTES", "Collection",
           "Problem", "collect_progress"]

#: The file in each learner's home that the class report reads: the progress records.
FILE_NAME = "progress.jsonl"
# A record is about 200 bytes; a learner who checks each of the course's ~70 questions ten times writes
# about 150 KB. 4 MiB is over 25 times that, and keeps a class of 40 within a few hundred MB of memory.
#: Largest progress file read; a larger one is listed as a problem and skipped.
MAX_FILE_BYTES = 4 * 2**20
#: Most progress files read from one home.
MAX_FILES_PER_LEARNER = 10
#: Deepest folder searched in a home.
MAX_DEPTH = 16  # the kit's own file is 3 folders down (.local/share/lifecycle-kit)
#: Most directory entries looked at in one home.
MAX_ENTRIES = 200_000  # per home: a course copy and a Python environment are a few tens of thousands
_LISTED_PER_FILE = 20  # damaged lines named one by one; the rest are counted
_KIT_FOLDERS = (".local", "share", "lifecycle-kit")  # where the kit records unless told otherwise

# Directory descriptors (openat) where the platform has them; elsewhere (Windows) paths with lstat checks.
_DIR_FDS = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_NOFOLLOW")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
# O_NONBLOCK: a FIFO named progress.jsonl must not hang the report waiting for a writer.
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC | getattr(os, "O_BINARY", 0)
_LINK_ERRORS = {errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP), getattr(errno, "EFTYPE", errno.ELOOP)}


@dataclass(frozen=True)
class Problem:
    """Something the class report skipped or cut, and why.

    Attributes
    ----------
    learner : str or None
        Whose home it is in (None when it is in no learner's home).
    path : str
        The file or folder.
    line : int or None
        The line of the file, where the problem is one line.
    what : str
        What is wrong, and what was done about it.
    """

    learner: str | None
    path: str
    line: int | None
    what: str


@dataclass
class Collection:
    """What :func:`collect_progress` found.

    Attributes
    ----------
    records : list of dict
        The readable records: the fields of
        :data:`~lifecycle_kit.course.progress.COLUMNS`, ``user`` being the
        learner whose home holds the file, ``recorded_user`` the name the record
        gives, ``source`` the file and ``line`` its line number.
    files : list of (str, Path)
        ``(learner, file)`` for every file read, in the order read.
    problems : list of Problem
    unreadable : list of str
        Folders that could not be searched (permissions).
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[str, Path]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _is_link_error(err):
    return isinstance(err, OSError) and err.errno in _LINK_ERRORS


def _open_child_dir(parent, name):
    """A folder inside ``parent`` (a descriptor, or a path without descriptors), never through a link."""
    if _DIR_FDS:
        return os.open(name, _DIR_FLAGS, dir_fd=parent)
    path = os.path.join(parent, name)
    if os.path.islink(path) or getattr(os.path, "isjunction", lambda _p: False)(path):
        raise OSError(errno.ELOOP, "is a link", path)
    return path


def _open_root_dir(path):
    if _DIR_FDS:
        return os.open(path, _DIR_FLAGS)
    return path


def _close_dir(handle):
    if isinstance(handle, int):
        os.close(handle)


def _dir_stat(handle):
    return os.fstat(handle) if isinstance(handle, int) else os.stat(handle)


def _open_file(parent, name):
    if parent is None:  # a file named on its own
        if os.path.islink(name):
            raise OSError(errno.ELOOP, "is a link", name)
        return os.open(name, _FILE_FLAGS)
    if _DIR_FDS:
        return os.open(name, _FILE_FLAGS, dir_fd=parent)
    path = os.path.join(parent, name)
    if os.path.islink(path):
        raise OSError(errno.ELOOP, "is a link", path)
    return os.open(path, _FILE_FLAGS)


def _learner_of_file(path):
    """The learner of a file named on its own: the folder holding it (``progress/ada/progress.jsonl``), or the
    home above the kit's own folders (``/home/ada/.local/share/lifecycle-kit/progress.jsonl``)."""
    folder = Path(os.path.abspath(path)).parent
    if folder.parts[-len(_KIT_FOLDERS):] == _KIT_FOLDERS and len(folder.parts) > len(_KIT_FOLDERS) + 1:
        return folder.parents[len(_KIT_FOLDERS) - 1].name
    return folder.name


class _Collector:
    def __init__(self, *, max_file_bytes, read):
        self.out = Collection()
        self.max_file_bytes = max_file_bytes
        self.read = read
        self.seen = set()  # (device, inode) of files already read
        self.per_learner = Counter()

    def problem(self, learner, path, what, line=None):
        self.out.problems.append(Problem(learner, str(path), line, what))

    # --- roots ---------------------------------------------------------------------------------

    def root(self, path, learner=None):
        """A path named by the instructor: a learner's home or file (``learner`` given), a folder of homes,
        or a file on its own."""
        text = os.fspath(path)
        text = text.rstrip("/\\") or text  # "home/" would make lstat follow a link named home
        try:
            info = os.lstat(text)
        except FileNotFoundError:
            if learner is not None:  # one learner's missing home must not stop the class's report
                self.problem(learner, text, _("no such file or folder: not searched"))
                return
            raise LifecycleKitError(_("{path}: no such file or folder", path=path)) from None
        if stat.S_ISLNK(info.st_mode):
            self.problem(learner, text, _("is a link: not followed (name the folder or file it points to, if it is "
                                          "the one you mean)"))
        elif stat.S_ISDIR(info.st_mode):
            try:
                handle = _open_root_dir(text)
            except OSError as err:
                if _is_link_error(err):
                    self.problem(learner, text, _("became a link while being read: not followed"))
                else:
                    self.out.unreadable.append(text)
                return
            try:
                if learner is None:
                    self.folder_of_homes(handle, Path(text))
                else:
                    self.home(learner, handle, Path(text))
            finally:
                _close_dir(handle)
        else:
            self.file(learner if learner is not None else _learner_of_file(text), None, text, Path(text), owner=None)

    def folder_of_homes(self, handle, display):
        """Each folder directly inside is one learner's home, named by the folder."""
        try:
            entries = sorted(os.scandir(handle), key=lambda entry: entry.name)
        except OSError:
            self.out.unreadable.append(str(display))
            return
        names = {entry.name for entry in entries}
        if _KIT_FOLDERS[0] in names:
            self.problem(None, display, _("holds {folder}, so it looks like one learner's home, not a folder of "
                                          "homes: name it with --learner NAME {path}", folder=_KIT_FOLDERS[0],
                                          path=display))
        for entry in entries:
            if entry.name.startswith("."):
                continue  # a hidden folder is no learner's home
            if entry.is_symlink():
                self.problem(entry.name, display / entry.name, _("this home is a link: not followed"))
            elif entry.is_dir(follow_symlinks=False):
                try:
                    home = _open_child_dir(handle, entry.name)
                except OSError as err:
                    if _is_link_error(err):
                        self.problem(entry.name, display / entry.name, _("this home is a link: not followed"))
                    else:
                        self.out.unreadable.append(str(display / entry.name))
                    continue
                try:
                    self.home(entry.name, home, display / entry.name)
                finally:
                    _close_dir(home)
            elif entry.name == FILE_NAME:
                self.problem(None, display / entry.name, _("is in no learner's folder (a folder of homes holds one "
                                                           "folder per learner): not read"))

    def home(self, learner, handle, display):
        """Search one learner's home for progress files, never leaving it."""
        try:
            owner = _dir_stat(handle).st_uid
        except OSError:
            self.out.unreadable.append(str(display))
            return
        budget = [MAX_ENTRIES]
        self.walk(learner, handle, display, (), owner, budget)

    def walk(self, learner, handle, display, route, owner, budget):
        try:
            entries = sorted(os.scandir(handle), key=lambda entry: entry.name)
        except OSError:
            self.out.unreadable.append(str(display))
            return
        if len(entries) > budget[0]:
            self.problem(learner, display, _("holds more than {n:,} entries: the rest of this home was not searched",
                                             n=MAX_ENTRIES))
            entries = entries[:budget[0]]
        budget[0] -= len(entries)
        for entry in entries:
            where = display / entry.name
            on_route = route + (entry.name,) == _KIT_FOLDERS[:len(route) + 1]
            if entry.is_symlink():
                if entry.name == FILE_NAME or on_route:
                    self.problem(learner, where, _("is a link: not followed"))
            elif entry.is_dir(follow_symlinks=False):
                if len(route) >= MAX_DEPTH:
                    self.problem(learner, where, _("more than {n} folders deep: not searched", n=MAX_DEPTH))
                    continue
                try:
                    child = _open_child_dir(handle, entry.name)
                except OSError as err:
                    if _is_link_error(err):  # swapped for a link after it was listed
                        self.problem(learner, where, _("became a link while being read: not followed"))
                    else:
                        self.out.unreadable.append(str(where))
                    continue
                try:
                    self.walk(learner, child, where, route + (entry.name,), owner, budget)
                finally:
                    _close_dir(child)
                if budget[0] <= 0:
                    return
            elif entry.name == FILE_NAME:
                self.file(learner, handle, entry.name, where, owner=owner)

    # --- one file --------------------------------------------------------------------------------

    def file(self, learner, parent, name, display, *, owner):
        try:
            fd = _open_file(parent, name)
        except OSError as err:
            if _is_link_error(err):
                self.problem(learner, display, _("is a link: not followed"))
            elif err.errno == errno.ENOENT:
                self.problem(learner, display, _("disappeared while being read"))
            else:
                self.problem(learner, display, _("cannot be read ({error})", error=err.strerror or err))
            return
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self.problem(learner, display, _("is not a regular file: not read"))
            elif (info.st_dev, info.st_ino) in self.seen:
                pass  # named twice (a folder and the file in it): read once
            elif info.st_nlink > 1:
                self.problem(learner, display, _("has {n} names (hard links), so it may be someone else's file: "
                                                 "not read", n=info.st_nlink))
            elif owner is not None and info.st_uid != owner:
                self.problem(learner, display, _("belongs to user id {file_owner}, not to the owner of the home "
                                                 "(user id {home_owner}): not read", file_owner=info.st_uid,
                                                 home_owner=owner))
            elif self.per_learner[learner] >= MAX_FILES_PER_LEARNER:
                self.problem(learner, display, _("more than {n} progress files in one home: not read",
                                                 n=MAX_FILES_PER_LEARNER))
            else:
                self.seen.add((info.st_dev, info.st_ino))
                self.per_learner[learner] += 1
                self.out.files.append((learner, display))
                if self.read:
                    self.records(learner, fd, display, info.st_size)
        finally:
            os.close(fd)

    def records(self, learner, fd, display, size):
        from lifecycle_kit.course.progress import LINE_TOO_LONG, DamagedLine, parse_line, read_lines

        damaged, claims = [], Counter()
        try:
            for number, raw in read_lines(lambda n: os.read(fd, n), limit=self.max_file_bytes):
                try:
                    if raw is None:
                        raise DamagedLine(LINE_TOO_LONG)
                    item = parse_line(raw)
                except DamagedLine as err:
                    damaged.append((number, str(err)))
                    continue
                if item["user"] != learner:
                    claims[item["user"]] += 1
                self.out.records.append({**item, "recorded_user": item["user"], "user": learner,
                                         "source": str(display), "line": number})
        except OSError as err:
            self.problem(learner, display, _("could not be read to the end ({error})", error=err.strerror or err))
        for number, what in damaged[:_LISTED_PER_FILE]:
            self.problem(learner, display, _("{what}: line left out", what=what), line=number)
        if len(damaged) > _LISTED_PER_FILE:
            self.problem(learner, display, _("{n} more damaged line(s) left out", n=len(damaged) - _LISTED_PER_FILE))
        if size > self.max_file_bytes:
            self.problem(learner, display, _("holds {size:,} bytes: only the first {limit:,} were read (the kit "
                                             "writes about 200 bytes a record)", size=size, limit=self.max_file_bytes))
        if claims:
            names = ", ".join(sorted(claims)[:5]) + (", ..." if len(claims) > 5 else "")
            self.problem(learner, display, _("{n} record(s) name another user ({names}): counted as {learner}'s, "
                                             "not theirs", n=sum(claims.values()), names=names, learner=learner))


def collect_progress(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (), *,
                     learners: Mapping[str, str | os.PathLike[str]] | None = None,
                     max_file_bytes: int = MAX_FILE_BYTES, read: bool = True) -> Collection:
    """Find and read the progress files of a class, each attributed to the learner whose home holds it.

    Parameters
    ----------
    paths : str, Path or list of them, default=()
        Folders of homes (each folder directly inside is a learner's home,
        named by the folder), or progress files on their own (the learner is
        the folder holding the file, or the home above
        ``.local/share/lifecycle-kit``).
    learners : mapping of str to path, default=None
        ``{learner: home or progress file}``: the learner named explicitly.
    max_file_bytes : int, default=MAX_FILE_BYTES
        Read at most this much of each file.
    read : bool, default=True
        False: find the files only.

    Returns
    -------
    Collection

    Raises
    ------
    LifecycleKitError
        A path in ``paths`` does not exist (a learner's missing home, and
        whatever is in a home, is a :class:`Problem`, never an error).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    collector = _Collector(max_file_bytes=max_file_bytes, read=read)
    for name, path in (learners or {}).items():
        collector.root(path, learner=str(name))
    for path in paths:
        collector.root(path)
    return collector.out

