import gzip
import json
import shutil

import pandas as pd
import pytest

from lifecycle_kit import IntegrityError, LifecycleKitError
from lifecycle_kit.datasets import find_data_dir, get_card, list_datasets, load, sklearn_data_dir
from lifecycle_kit.datasets._cards import CARDS, COMPANION_FILES
from lifecycle_kit.integrity import build_manifest, sha256_file

NAMES = list(CARDS)
REQUIRED = {"adult", "bike_sharing", "penguins", "seattle_weather", "breast_cancer", "digits", "wine"}


def test_registry_has_the_required_datasets():
    table = list_datasets()
    assert REQUIRED <= set(table["name"])
    assert list(table.columns) == ["name", "rows", "columns", "task", "licence", "source", "citation", "sha256"]


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_and_matches_its_card(name):
    ds = load(name)
    card = ds.card
    for key in ("licence", "licence_url", "source", "source_url", "citation", "obtained", "changes"):
        assert card[key], f"{name}: card lacks {key}"
    assert len(ds.frame) == card["rows"]
    assert ds.frame.shape[1] == card["columns"]
    assert ds.target is not None and ds.target.name == card["target"]
    assert len(ds.target) == len(ds.frame)
    assert card["target"] not in ds.frame.columns
    assert list(ds.meta.columns) == ["source_file"]
    for f in card["files"]:
        folder = sklearn_data_dir() if f["location"] == "sklearn" else find_data_dir()
        assert sha256_file(folder / f["name"]) == f["sha256"]
        assert (folder / f["name"]).stat().st_size == f["size"]


@pytest.mark.parametrize("name", [n for n in NAMES if CARDS[n]["files"][0]["location"] == "data"])
def test_carried_files_decompress_to_the_published_originals(name):
    import hashlib

    for f in CARDS[name]["files"]:
        raw = gzip.decompress((find_data_dir() / f["name"]).read_bytes())
        assert hashlib.sha256(raw).hexdigest() == f["original_sha256"]


def test_adult_is_raw_with_question_marks_and_duplicates():
    ds = load("adult")
    for column in ("workclass", "occupation", "native_country"):
        assert (ds.frame[column] == "?").sum() > 0, column
    assert ds.frame.isna().sum().sum() == 0  # "?" is not NaN: that is the lesson
    assert (pd.concat([ds.frame, ds.target], axis=1).duplicated()).sum() > 0
    assert set(ds.target) == {"<=50K", ">50K"}
    assert ds.meta["source_file"].value_counts().to_dict() == {"adult.data": 32561, "adult.test": 16281}


def test_bike_sharing_timestamps_cover_2011_hourly():
    ds = load("bike_sharing")
    ts = ds.frame["timestamp"]
    assert ts.min() == pd.Timestamp("2011-01-01 00:00") and ts.max().year == 2011
    assert ts.is_monotonic_increasing and ts.is_unique
    assert (ds.frame["casual"] + ds.frame["registered"] == ds.target).all()


@pytest.mark.parametrize("name,loader", [("breast_cancer", "load_breast_cancer"), ("digits", "load_digits"),
                                         ("wine", "load_wine"), ("iris", "load_iris")])
def test_sklearn_datasets_equal_scikit_learns_own_loaders(name, loader):
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, loader)(as_frame=True)
    ds = load(name)
    pd.testing.assert_frame_equal(ds.frame, bunch.frame.drop(columns="target"))
    assert (ds.target.to_numpy() == bunch.target.to_numpy()).all()


def _tampered_copy(tmp_path, filename, offset=None):
    copy = tmp_path / "data"
    shutil.copytree(find_data_dir(), copy)
    path = copy / filename
    content = bytearray(path.read_bytes())
    content[len(content) // 2 if offset is None else offset] ^= 0x01
    path.write_bytes(bytes(content))
    return copy


@pytest.mark.parametrize("name", [n for n in NAMES if CARDS[n]["files"][0]["location"] == "data"])
def test_one_flipped_bit_raises_integrity_error_naming_file_and_digests(tmp_path, name):
    f = CARDS[name]["files"][-1]
    copy = _tampered_copy(tmp_path, f["name"])
    with pytest.raises(IntegrityError) as info:
        load(name, data_dir=copy)
    message = str(info.value)
    assert f["name"] in message and f["sha256"] in message
    assert sha256_file(copy / f["name"]) in message


def test_tampered_copy_loads_when_verification_is_off(tmp_path):
    copy = _tampered_copy(tmp_path, "seattle-weather.csv.gz", offset=5)  # in the gzip header's mtime
    ds = load("seattle_weather", data_dir=copy, verify=False)
    assert len(ds.frame) == CARDS["seattle_weather"]["rows"]


def test_tampered_sklearn_file_is_refused(tmp_path):
    shutil.copy(sklearn_data_dir() / "wine_data.csv", tmp_path / "wine_data.csv")
    text = (tmp_path / "wine_data.csv").read_text()
    (tmp_path / "wine_data.csv").write_text(text.replace("14.23", "14.24", 1))
    with pytest.raises(IntegrityError, match="wine_data.csv"):
        load("wine", data_dir=tmp_path)


def test_data_dir_from_environment_variable(tmp_path, monkeypatch):
    copy = _tampered_copy(tmp_path, "penguins.csv.gz")
    monkeypatch.setenv("LIFECYCLE_KIT_DATA", str(copy))
    with pytest.raises(IntegrityError):
        load("penguins")


def test_missing_file_and_unknown_name_are_clear_errors(tmp_path):
    with pytest.raises(LifecycleKitError, match="unknown dataset 'adults'.*adult"):
        load("adults")
    (tmp_path / "MANIFEST.json").write_text("{}")
    with pytest.raises(LifecycleKitError, match="penguins.csv.gz is missing"):
        load("penguins", data_dir=tmp_path)


def test_loaded_frames_are_independent_copies():
    a = load("penguins")
    a.frame.loc[0, "island"] = "Atlantis"
    a.card["licence"] = "changed"
    b = load("penguins")
    assert b.frame.loc[0, "island"] != "Atlantis"
    assert get_card("penguins")["licence"] == "CC0 1.0"


def test_manifest_lists_every_file_with_digest_and_size():
    folder = find_data_dir()
    recorded = json.loads((folder / "MANIFEST.json").read_text())
    actual = build_manifest(folder)
    assert recorded["files"] == actual.files
    expected = {f["name"]: f for card in CARDS.values() for f in card["files"] if f["location"] == "data"}
    expected.update(COMPANION_FILES)
    for name, entry in expected.items():
        assert recorded["files"][name]["sha256"] == entry["sha256"]
        assert recorded["files"][name]["size"] == entry.get("size", recorded["files"][name]["size"])
    assert set(recorded["files"]) == set(expected) | {"README.md"}


def test_data_readme_names_every_file_licence_and_citation():
    text = (find_data_dir() / "README.md").read_text()
    for name, card in CARDS.items():
        assert f"`{name}`" in text
        assert card["licence"] in text and card["citation"] in text and card["obtained"] in text
        for f in card["files"]:
            assert f["sha256"] in text
    for name, entry in COMPANION_FILES.items():
        assert entry["sha256"] in text
