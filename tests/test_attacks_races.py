"""Races on the decommissioning and archive tools (issue 22): a folder inside the tree is swapped for a link to a
folder outside it, again and again, while the tool runs. Each docstring says what the kit did before the fix.

The swap is ``renameat2(RENAME_EXCHANGE)`` (Linux: both names change in one step, so the folder's name is always
there, now the real folder, now the link); elsewhere two renames in a loop. The swapper is a thread whose loop runs
in C with the GIL released, so it swaps between any two system calls of the tool.
"""

import ctypes
import errno
import os
import sys
import threading

import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _renameat2():
    """libc's renameat2, if this system has it and this file system supports RENAME_EXCHANGE; else None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


class Swapper:
    """Swap the names ``a`` and ``b`` in a loop until the ``with`` block ends; ``a`` is the real folder again after."""

    def __init__(self, a, b):
        self.a, self.b = os.fsencode(a), os.fsencode(b)
        self.exchange = _renameat2()
        self.swaps = 0
        self._stop = threading.Event()
        if self.exchange is not None:
            if self._swap_once() == 0:
                assert self._swap_once() == 0  # and back
            else:
                self.exchange = None  # this file system refuses RENAME_EXCHANGE: two renames instead

    def _swap_once(self):
        if self.exchange(AT_FDCWD, self.a, AT_FDCWD, self.b, RENAME_EXCHANGE) != 0:
            return ctypes.get_errno()
        return 0

    def _loop(self):
        spare = self.a + b".spare"
        while not self._stop.is_set():
            if self.exchange is not None:
                if self._swap_once() == 0:
                    self.swaps += 1
            else:
                os.rename(self.a, spare)
                os.rename(self.b, self.a)
                os.rename(self.a, self.b)
                os.rename(spare, self.a)
                self.swaps += 2

    def __enter__(self):
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if os.path.islink(self.a):
            assert self.exchange is not None and self._swap_once() == 0
        assert not os.path.islink(self.a) and os.path.islink(self.b)


@pytest.fixture
def outside(tmp_path):
    """Files outside the tree, named like the files inside it: what an attacker wants destroyed, read or overwritten."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


NAMES = [f"part-{i:03d}.csv" for i in range(400)]


def _precious(name):
    return f"precious work, {name}\n".encode() * 10


def _tree_with_a_swappable_folder(tmp_path, outside, sub):
    tree = tmp_path / "tree"
    (tree / sub).mkdir(parents=True)
    (tree / "swap").symlink_to(outside, target_is_directory=True)
    return tree


def test_purge_while_a_folder_is_swapped_for_a_link_outside(tmp_path, outside):
    """Before: purge checked that a path resolved inside the folder, then overwrite_and_delete looked it up again:
    with `cache` swapped for a link to another folder in between, it overwrote and deleted files of that folder
    (5 of 400 in the review); a file vanishing under the swap could also end in FileNotFoundError. Now the tree is
    walked with open folders and every file opened and deleted by name in its own folder: 400 files purged under
    the swap, none outside touched."""
    from lifecycle_kit.decommission import purge

    for name in NAMES:
        (outside / name).write_bytes(_precious(name))
    tree = _tree_with_a_swappable_folder(tmp_path, outside, "cache")
    purged = swaps = 0
    for start in range(0, len(NAMES), 40):
        for name in NAMES[start:start + 40]:
            (tree / "cache" / name).write_bytes(b"cached rows\n")
        with Swapper(tree / "cache", tree / "swap") as swapper:
            report = purge(tree, ["cache"])
        swaps += swapper.swaps
        purged += len(report)
        assert all(r.overwritten for r in report)
    assert swaps > 100, "the swapper hardly ran: the test proves nothing"
    damaged = [name for name in NAMES if (outside / name).read_bytes() != _precious(name)]
    assert not damaged, f"{len(damaged)} of {len(NAMES)} files outside the tree were overwritten or deleted"
    assert purged > 0


def test_inventory_and_rescan_while_a_folder_is_swapped_for_a_link_outside(tmp_path, outside):
    """Before: inventory listed the files with os.walk, then took their sizes by path, and rescan read them by path:
    with `raw` swapped for a link in between, the sizes and the contents came from the folder outside (its rows
    were 'found' in the workspace) or a FileNotFoundError escaped. Now sizes and contents come from the files the
    walk opened, in folders opened without following links."""
    from lifecycle_kit.decommission import inventory, rescan

    frame = pd.DataFrame({"a": [1.25, 2.5, 3.75, 5.125], "b": [10.5, 20.25, 30.125, 40.0625]})
    for name in NAMES[:30]:
        frame.to_csv(outside / name, index=False)  # the rows, outside
    tree = _tree_with_a_swappable_folder(tmp_path, outside, "raw")
    for name in NAMES[:30]:
        (tree / "raw" / name).write_text("x,y\n7,8\n")  # unrelated numbers, 8 bytes
    # While swapped, the real folder is called `swap`: its files are then listed under that name (still inside).
    inside = {f"{folder}/{name}" for folder in ("raw", "swap") for name in NAMES[:30]}
    listed = 0
    with Swapper(tree / "raw", tree / "swap") as swapper:
        for _ in range(40):
            sizes = inventory(tree)
            # A walk may meet both names as links (each at the moment it looks): then it lists nothing, rightly.
            assert set(sizes["path"]) <= inside and set(sizes["bytes"]) <= {8}, sizes
            listed += len(sizes)
            found = rescan(tree, frame)
            assert set(found["path"]) <= inside and found["rows_found"].sum() == 0, found
    assert swapper.swaps > 100
    assert listed, "no walk listed the real folder's files: the test saw nothing"


def test_archive_extraction_while_a_folder_is_swapped_for_a_link_outside(tmp_path, outside):
    """Before: extraction checked each folder of a member's path with is_symlink, then opened the file by its full
    path: with `data` swapped for a link in between, the table was written into the folder outside. Now each folder
    is opened without following links and each file written by name into it; a swap is refused (IntegrityError)."""
    from lifecycle_kit import IntegrityError
    from lifecycle_kit.integrity import generate_keypair, open_archive, write_archive

    private, public = generate_keypair()
    path = tmp_path / "archive.tar.gz"
    write_archive(path, tables={"birds": pd.DataFrame({"id": range(5), "mass": range(3500, 3505)})},
                  private_key=private)
    target = _tree_with_a_swappable_folder(tmp_path, outside, "data")
    outcomes = {"ok": 0, "refused": 0}
    with Swapper(target / "data", target / "swap") as swapper:
        for _ in range(60):
            try:
                check = open_archive(path, public, extract_to=target)
            except IntegrityError as err:
                assert "is a link" in str(err)
                outcomes["refused"] += 1
            else:
                assert check.ok
                outcomes["ok"] += 1
    assert swapper.swaps > 100
    assert list(outside.iterdir()) == [], "the archive was extracted into the folder outside the target"
    assert (target / "data" / "birds.csv").is_file()


def test_swapper_really_swaps(tmp_path, outside):
    """The tests' own tool: after one exchange, the folder's name is the link (so the tests above race for real)."""
    tree = _tree_with_a_swappable_folder(tmp_path, outside, "cache")
    exchange = _renameat2()
    if exchange is None:
        pytest.skip("renameat2 is not available here: the tests above swap with two renames instead")
    code = exchange(AT_FDCWD, os.fsencode(tree / "cache"), AT_FDCWD, os.fsencode(tree / "swap"), RENAME_EXCHANGE)
    if code != 0:
        assert ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS)
        pytest.skip("this file system has no RENAME_EXCHANGE")
    assert (tree / "cache").is_symlink() and (tree / "swap").is_dir()


def test_without_directory_descriptors_the_same_calls_take_paths(tmp_path, outside, monkeypatch):
    """Where the OS has no directory descriptors (Windows), lifecycle_kit._fs falls back to paths: purge, inventory,
    skipped_entries and replace_file still refuse links and write nothing through them (the race itself remains)."""
    from lifecycle_kit import _fs
    from lifecycle_kit.decommission import inventory, purge, skipped_entries

    monkeypatch.setattr(_fs, "DIR_FDS", False)
    victim = outside / "thesis.tex"
    victim.write_bytes(_precious("thesis.tex"))
    tree = _tree_with_a_swappable_folder(tmp_path, outside, "cache")
    (tree / "cache" / "a.pkl").write_bytes(b"cached")
    (tree / "cache" / "planted.pkl").symlink_to(victim)
    assert inventory(tree)["path"].tolist() == ["cache/a.pkl"]
    assert set(skipped_entries(tree)["path"]) == {"cache/planted.pkl", "swap"}
    report = purge(tree, ["cache"])
    assert [r.deleted for r in report] == [True] and victim.read_bytes() == _precious("thesis.tex")
    _fs.replace_file(tree / "cache" / "planted.pkl", b"new")
    assert victim.read_bytes() == _precious("thesis.tex") and (tree / "cache" / "planted.pkl").read_bytes() == b"new"
