"""Collecting a class's progress files: whose each file is, what is skipped and why, on every platform path."""

import json
import os

import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.course import learner_files
from lifecycle_kit.course.learner_files import collect_progress

GOOD = {"schema": 1, "user": "ada", "notebook": "00_start_here", "question": "trust_stage", "event": "check",
        "status": "correct", "correct": True, "attempt": 1, "time": "2026-03-02T10:00:00Z"}


def _write(path, *items):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        for item in items:
            handle.write(json.dumps(item) + "\n")
    return path


def _kit(root, learner):
    return root / learner / ".local" / "share" / "lifecycle-kit" / "progress.jsonl"


def _problems(found):
    return {(p.learner, os.path.basename(p.path), p.what.split(":")[0]) for p in found.problems}


@pytest.fixture(params=[True, False], ids=["directory-descriptors", "paths"])
def walk_mode(request, monkeypatch):
    """Both ways of walking: descriptors (POSIX) and paths with link checks (where there are no descriptors)."""
    if request.param and not learner_files._DIR_FDS:
        pytest.skip("no directory descriptors on this platform")
    monkeypatch.setattr(learner_files, "_DIR_FDS", request.param)
    return request.param


def test_each_file_is_its_homes_learner_in_both_walks(tmp_path, walk_mode):
    _write(_kit(tmp_path, "ada"), GOOD)
    _write(tmp_path / "ben" / "course" / "progress.jsonl", {**GOOD, "user": "ben"}, {**GOOD, "user": "zed"})
    found = collect_progress([tmp_path])
    assert [(r["user"], r["recorded_user"], r["line"]) for r in found.records] == [
        ("ada", "ada", 1), ("ben", "ben", 1), ("ben", "zed", 2)]
    assert [learner for learner, _path in found.files] == ["ada", "ben"]
    assert _problems(found) == {("ben", "progress.jsonl", "1 record(s) name another user (zed)")}


def test_links_are_skipped_and_listed_in_both_walks(tmp_path, walk_mode):
    outside = _write(tmp_path / "outside" / "progress.jsonl", {**GOOD, "user": "x"})
    homes = tmp_path / "homes"
    _kit(homes, "ada").parent.mkdir(parents=True)
    _kit(homes, "ada").symlink_to(outside)
    (homes / "ben").mkdir()
    (homes / "ben" / ".local").symlink_to(outside.parent)
    (homes / "cleo").symlink_to(outside.parent)
    found = collect_progress([homes])
    assert found.records == [] and found.files == []
    assert _problems(found) == {("ada", "progress.jsonl", "is a link"), ("ben", ".local", "is a link"),
                                ("cleo", "cleo", "this home is a link")}


def test_learners_named_explicitly_and_a_file_named_alone(tmp_path):
    _write(tmp_path / "srv" / "a-home" / "progress.jsonl", {**GOOD, "user": "someone"})
    single = _write(tmp_path / "collected" / "ben" / "progress.jsonl", {**GOOD, "user": "ben"})
    default = _write(_kit(tmp_path / "home", "cleo"), {**GOOD, "user": "cleo"})
    found = collect_progress([single, default], learners={"-ada": tmp_path / "srv" / "a-home",
                                                            "gone": tmp_path / "srv" / "missing"})
    assert [learner for learner, _path in found.files] == ["-ada", "ben", "cleo"]
    assert ("gone", "missing", "no such file or folder") in _problems(found)
    with pytest.raises(LifecycleKitError, match="no such file or folder"):
        collect_progress([tmp_path / "nowhere"])


def test_a_home_given_as_a_folder_of_homes_is_pointed_out(tmp_path):
    _write(_kit(tmp_path, "ada"), GOOD)
    found = collect_progress([tmp_path / "ada"])
    assert found.files == []
    assert any("looks like one learner's home" in p.what and "--learner NAME" in p.what for p in found.problems)


def test_hard_links_fifos_other_owners_and_too_many_files_are_not_read(tmp_path):
    bens = _write(_kit(tmp_path, "ben"), {**GOOD, "user": "ben"})
    (tmp_path / "eve").mkdir()
    os.link(bens, tmp_path / "eve" / "progress.jsonl")  # Eve's "file" is Ben's
    (tmp_path / "fay").mkdir()
    os.mkfifo(tmp_path / "fay" / "progress.jsonl")  # would block a reader that waited for a writer
    for i in range(learner_files.MAX_FILES_PER_LEARNER + 2):
        _write(tmp_path / "gil" / f"copy{i:02d}" / "progress.jsonl", {**GOOD, "user": "gil"})
    found = collect_progress([tmp_path])
    what = {(p.learner, p.what.split(":")[0]) for p in found.problems}
    assert ("eve", "has 2 names (hard links), so it may be someone else's file") in what
    assert ("ben", "has 2 names (hard links), so it may be someone else's file") in what
    assert ("fay", "is not a regular file") in what
    assert sum(p.learner == "gil" and "more than 10 progress files" in p.what for p in found.problems) == 2
    assert [r["user"] for r in found.records] == ["gil"] * learner_files.MAX_FILES_PER_LEARNER


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_file_owned_by_someone_else_than_the_home_is_not_read(tmp_path):
    mine = _write(_kit(tmp_path, "ada"), GOOD)
    os.chown(mine, 12345, -1)
    found = collect_progress([tmp_path])
    assert found.records == []
    assert any("belongs to user id 12345" in p.what for p in found.problems)


def test_depth_and_width_of_a_home_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(learner_files, "MAX_DEPTH", 3)
    monkeypatch.setattr(learner_files, "MAX_ENTRIES", 50)
    deep = tmp_path / "ada" / "a" / "b" / "c" / "d"
    _write(deep / "progress.jsonl", GOOD)
    for i in range(60):
        (tmp_path / "ben" / f"f{i:02d}").mkdir(parents=True)
    found = collect_progress([tmp_path])
    assert found.records == []
    assert {(p.learner, p.what.split(":")[0]) for p in found.problems} == {
        ("ada", "more than 3 folders deep"), ("ben", "holds more than 50 entries")}


def test_a_file_cut_at_the_limit_says_so_and_keeps_its_whole_lines(tmp_path):
    path = _write(_kit(tmp_path, "ada"), *[{**GOOD, "attempt": i} for i in range(1, 101)])
    data = path.read_bytes()
    ten = len(b"".join(data.splitlines(keepends=True)[:10]))
    found = collect_progress([tmp_path], max_file_bytes=ten + 20)  # the 11th line cut in two
    assert [r["attempt"] for r in found.records] == list(range(1, 11))
    assert [p.what.split(":")[0] for p in found.problems] == [f"holds {len(data):,} bytes"]
    whole = collect_progress([tmp_path], max_file_bytes=len(data))
    assert whole.problems == [] and len(whole.records) == 100
