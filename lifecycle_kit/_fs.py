"""Files inside a folder, looked up one name at a time from an open folder: never by a path, never through a link.

A path is resolved again, component by component, every time it is used. Between
a check (*is it inside the folder? is it a link?*) and the use (``open``,
``unlink``), another process can swap a folder on the path for a link to another
folder (``renameat2(RENAME_EXCHANGE)`` swaps two names in one step), and the use
lands outside; ``O_NOFOLLOW`` guards only the last component. A folder opened
once with ``O_DIRECTORY | O_NOFOLLOW`` stays that folder whatever is renamed
around it, and every later lookup relative to it (``dir_fd=``) covers one name,
which ``O_NOFOLLOW`` and ``lstat`` can check. :class:`Folder` is such an open
folder; :func:`walk` goes down a tree with them; :func:`replace_file` writes a
file under a new name and renames it over the old one, so an existing link (or
hard link) at the destination is replaced, never written through.

Where the operating system has no directory descriptors (Windows), the same
calls take paths: the race remains there (creating a symbolic link on Windows
needs an administrator's rights or developer mode).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lifecycle_kit.i18n import N_

DIR_FDS = (hasattr(os, "O_DIRECTORY") and hasattr(os, "O_NOFOLLOW")
           and {os.open, os.stat, os.unlink, os.mkdir, os.rename, os.readlink} <= os.supports_dir_fd
           and os.listdir in os.supports_fd)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_COMMON = _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# What open(O_NOFOLLOW) says when the name is a symbolic link (ELOOP on Linux and macOS, EMLINK on FreeBSD), and
# what open(O_DIRECTORY) says when it is not a folder.
LINK_ERRNOS = {errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)}
SWAP_ERRNOS = LINK_ERRNOS | {errno.ENOTDIR}


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


class Folder:
    """An open folder; every method looks up one ``name`` inside it, never following a link.

    Examples
    --------
    >>> import tempfile
    >>> with Folder.open(tempfile.mkdtemp()) as folder:
    ...     fd = folder.open_file("a.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    ...     os.close(fd)
    ...     folder.names()
    ['a.txt']
    """

    def __init__(self, handle: int | str, path: Path) -> None:
        self._handle = handle  # a file descriptor, or the folder's path where there are none
        self.path = path  # for messages only: never used to reach a file when there is a descriptor

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Folder:
        """Open the folder at ``path``; links in ``path`` itself are followed (the caller chose that path)."""
        path = Path(path)
        if not DIR_FDS:
            if not path.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
            return cls(str(path), path)
        return cls(os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)), path)

    def _at(self, name):
        if isinstance(self._handle, int):
            return name, {"dir_fd": self._handle}
        return os.path.join(self._handle, name), {}

    def lstat(self, name: str) -> os.stat_result:
        where, kw = self._at(name)
        return os.stat(where, follow_symlinks=False, **kw)

    def stat_following(self, name: str) -> os.stat_result:
        """``stat`` through a link (to say what a link points to; nothing is read or written there)."""
        where, kw = self._at(name)
        return os.stat(where, **kw)

    def readlink(self, name: str) -> str:
        where, kw = self._at(name)
        return os.readlink(where, **kw)

    def names(self) -> list[str]:
        return sorted(os.listdir(self._handle))

    def open_file(self, name: str, flags: int, mode: int = 0o644) -> int:
        """``os.open`` of one name, never through a link (``O_NOFOLLOW``) and never blocking on a pipe."""
        where, kw = self._at(name)
        return os.open(where, flags | _COMMON | getattr(os, "O_NONBLOCK", 0), mode, **kw)

    def subfolder(self, name: str, *, expected: os.stat_result | None = None) -> Folder:
        """The folder ``name``, opened without following a link.

        Raises ``OSError`` with an errno of :data:`SWAP_ERRNOS` when ``name`` is a link or not a folder, and when
        it is not the folder ``expected`` (an ``lstat`` taken before): it was swapped in between.
        """
        where, kw = self._at(name)
        if not isinstance(self._handle, int):
            if not stat.S_ISDIR(os.lstat(where).st_mode):
                raise OSError(errno.ENOTDIR, "a link or not a folder", where)
            return Folder(where, self.path / name)
        fd = os.open(where, os.O_RDONLY | os.O_DIRECTORY | _COMMON, **kw)
        if expected is not None and not same_file(os.fstat(fd), expected):
            os.close(fd)
            raise OSError(errno.ENOTDIR, "the folder was replaced while it was being opened", str(self.path / name))
        return Folder(fd, self.path / name)

    def mkdir(self, name: str, mode: int = 0o755) -> None:
        where, kw = self._at(name)
        os.mkdir(where, mode, **kw)

    def unlink(self, name: str) -> None:
        where, kw = self._at(name)
        os.unlink(where, **kw)

    def rename(self, source: str, destination: str) -> None:
        """Rename ``source`` to ``destination`` inside this folder (atomically replacing a file or link there)."""
        if isinstance(self._handle, int):
            os.rename(source, destination, src_dir_fd=self._handle, dst_dir_fd=self._handle)
        else:
            os.replace(os.path.join(self._handle, source), os.path.join(self._handle, destination))

    def close(self) -> None:
        if isinstance(self._handle, int) and self._handle >= 0:
            os.close(self._handle)
            self._handle = -1

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Entry:
    """A regular file met by :func:`walk`: the open ``folder`` holding it, its ``name`` there, its ``rel`` path."""

    folder: Folder
    name: str
    rel: str
    stat: os.stat_result


@dataclass(frozen=True)
class Skipped:
    """An entry :func:`walk` left alone, and why."""

    rel: str
    reason: str


def _link_reason(folder, name):
    try:
        target = folder.readlink(name)
    except OSError:
        target = "?"
    try:
        to_folder = stat.S_ISDIR(folder.stat_following(name).st_mode)
    except OSError:
        to_folder = False
    return (N_("symbolic link to a folder ({target}): not followed", target=str(target)) if to_folder
            else N_("symbolic link ({target}): not followed", target=str(target)))


def walk(root: Folder) -> Iterator[Entry | Skipped]:
    """Every regular file under ``root`` (an :class:`Entry`) and every other entry (a :class:`Skipped`), by name.

    Subfolders are opened relative to their parent with ``O_NOFOLLOW``: a folder
    swapped for a link while the walk runs is reported, not entered. No
    ``OSError`` escapes: an unreadable or vanished entry is a :class:`Skipped`.
    The folders are open while their entries are handed out (use them before
    asking for the next one) and closed when the walk ends or is abandoned.
    """
    try:
        names = root.names()
    except OSError as err:
        yield Skipped(".", N_("folder cannot be read ({error})", error=err.strerror))
        return
    stack = [(root, iter(names), "")]
    try:
        while stack:
            folder, pending, prefix = stack[-1]
            name = next(pending, None)
            if name is None:
                stack.pop()
                if folder is not root:
                    folder.close()
                continue
            rel = prefix + name
            try:
                info = folder.lstat(name)
            except FileNotFoundError:
                yield Skipped(rel, N_("disappeared while the folder was read"))
                continue
            except OSError as err:
                yield Skipped(rel, N_("cannot be read ({error})", error=err.strerror))
                continue
            if stat.S_ISLNK(info.st_mode):
                yield Skipped(rel, _link_reason(folder, name))
            elif stat.S_ISDIR(info.st_mode):
                try:
                    sub = folder.subfolder(name, expected=info)
                except OSError as err:
                    reason = (N_("changed into a link or a file while the folder was read: not followed")
                              if err.errno in SWAP_ERRNOS else N_("folder cannot be read ({error})", error=err.strerror))
                    yield Skipped(rel, reason)
                    continue
                try:
                    inner = sub.names()
                except OSError as err:
                    sub.close()
                    yield Skipped(rel, N_("folder cannot be read ({error})", error=err.strerror))
                    continue
                stack.append((sub, iter(inner), rel + "/"))
            elif stat.S_ISREG(info.st_mode):
                yield Entry(folder, name, rel, info)
            else:
                yield Skipped(rel, N_("not a regular file"))
    finally:
        for folder, _pending, _prefix in stack:
            if folder is not root:
                folder.close()


def open_regular(folder: Folder, name: str, flags: int, *, expected: os.stat_result | None = None) -> int:
    """Open the regular file ``name`` of ``folder`` (never a link, pipe or device), the one ``expected`` if given.

    Raises ``OSError``: ``ELOOP`` for a link, ``EINVAL`` for anything but a regular file, ``ESTALE`` when the
    name now holds another file than ``expected``.
    """
    fd = folder.open_file(name, flags)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", name)
        if expected is not None and not same_file(opened, expected):
            raise OSError(errno.ESTALE, "replaced while it was being opened", name)
    except BaseException:
        os.close(fd)
        raise
    return fd


def replace_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` by writing a new file beside it and renaming it over the old name.

    An existing link at ``path`` (symbolic or hard) is replaced by the new file,
    never written through: what it pointed to is left as it was. An existing
    regular file keeps its permissions; a folder at ``path`` is an
    ``IsADirectoryError``. Readers see the old content or the new, never half a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "elsewhere.txt").write_text("keep me")
    7
    >>> (folder / "report.html").symlink_to(folder / "elsewhere.txt")
    >>> replace_file(folder / "report.html", b"<p>report</p>")
    >>> (folder / "elsewhere.txt").read_text(), (folder / "report.html").is_symlink()
    ('keep me', False)
    """
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise IsADirectoryError(errno.EISDIR, "not a file name", str(path))
    with Folder.open(path.parent) as folder:
        replace_in(folder, path.name, data)


def replace_in(folder: Folder, name: str, data: bytes, *, mode: int = 0o666) -> None:
    """Write ``data`` as the file ``name`` of the open ``folder`` (see :func:`replace_file`).

    ``mode`` is that of a new file (the umask applies); a regular file already
    there keeps its own.
    """
    keep_mode = False
    try:
        existing = folder.lstat(name)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(folder.path / name))
    if existing is not None and stat.S_ISREG(existing.st_mode):
        mode, keep_mode = stat.S_IMODE(existing.st_mode), True
    temporary = f".{name}.{secrets.token_hex(6)}.tmp"
    fd = folder.open_file(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        try:
            if keep_mode and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # the umask may have narrowed it
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        folder.rename(temporary, name)
    except BaseException:
        try:
            folder.unlink(temporary)
        except OSError:
            pass
        raise


def replace_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """:func:`replace_file` for text, as ``Path.write_text`` writes it (newlines as given)."""
    replace_file(path, text.encode(encoding))
