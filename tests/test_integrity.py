import io
import json
import tarfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle_kit import IntegrityError, LifecycleKitError
from lifecycle_kit.integrity import (
    Manifest,
    MerkleTree,
    RowManifest,
    SignatureChain,
    build_manifest,
    generate_keypair,
    open_archive,
    rotate_archive_key,
    sign,
    verify_manifest,
    verify_signature,
    write_archive,
)
from lifecycle_kit.integrity.tamper import tamper_archive
from lifecycle_kit.provenance import Datasheet, Lineage, LineageRecorder

KEYS = generate_keypair()
OTHER = generate_keypair()


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "data"
    (root / "sub").mkdir(parents=True)
    (root / "a.csv").write_bytes(b"x,y\n1,2\n3,4\n")
    (root / "sub" / "b.bin").write_bytes(bytes(range(256)))
    (root / "c.txt").write_text("hello")
    return root


def test_manifest_records_every_file_canonically(folder):
    m = build_manifest(folder)
    assert sorted(m.files) == ["a.csv", "c.txt", "sub/b.bin"]
    assert m.files["sub/b.bin"]["size"] == 256
    text = m.to_json()
    assert json.loads(text)["format"] == "lifecycle-kit-manifest/1"
    assert ": " not in text and ", " not in text and text == build_manifest(folder).to_json()  # canonical bytes
    assert Manifest.from_json(text) == m
    assert verify_manifest(folder, m).ok


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_change_to_any_file_is_detected_and_named(folder, data):
    m = build_manifest(folder)
    files = sorted(m.files)
    name = data.draw(st.sampled_from(files))
    path = folder / name
    content = bytearray(path.read_bytes())
    offset = data.draw(st.integers(0, len(content) - 1))
    delta = data.draw(st.integers(1, 255))
    original = bytes(content)
    content[offset] = (content[offset] + delta) % 256
    path.write_bytes(bytes(content))
    try:
        result = verify_manifest(folder, m)
        assert not result.ok and result.changed == [name] and not result.missing and not result.added
    finally:
        path.write_bytes(original)


def test_added_and_missing_files(folder):
    m = build_manifest(folder)
    (folder / "new.csv").write_text("z")
    (folder / "c.txt").unlink()
    result = verify_manifest(folder, m)
    assert result.added == ["new.csv"] and result.missing == ["c.txt"] and not result.ok
    assert "missing: c.txt" in result.summary()


def test_manifest_errors(tmp_path, folder):
    with pytest.raises(LifecycleKitError, match="does not exist"):
        build_manifest(tmp_path / "nope")
    with pytest.raises(LifecycleKitError, match="is a file"):
        build_manifest(folder / "a.csv")
    with pytest.raises(LifecycleKitError, match="not valid JSON"):
        Manifest.from_json("{")
    with pytest.raises(LifecycleKitError, match="manifest 'files' must map"):
        Manifest.from_json('{"format": "lifecycle-kit-manifest/1", "files": {"a": 1}}')


def test_signatures_reject_wrong_keys_and_altered_manifests(folder):
    m = build_manifest(folder)
    signature = sign(m, KEYS[0])
    assert verify_signature(m, signature, KEYS[1])
    assert not verify_signature(m, signature, OTHER[1])
    altered = Manifest(files={**m.files, "a.csv": {"sha256": "0" * 64, "size": 12}})
    assert not verify_signature(altered, signature, KEYS[1])
    assert not verify_signature(m, "not base64!!", KEYS[1])
    assert not verify_signature(m, signature[:-4] + "AAAA", KEYS[1])


def test_encrypted_private_key_needs_its_passphrase(folder):
    private, public = generate_keypair(passphrase="correct horse")
    m = build_manifest(folder)
    assert verify_signature(m, sign(m, private, passphrase="correct horse"), public)
    with pytest.raises(LifecycleKitError, match="wrong passphrase"):
        sign(m, private, passphrase="wrong")
    with pytest.raises(LifecycleKitError, match="a passphrase is required"):
        sign(m, private)
    with pytest.raises(LifecycleKitError, match="not a PEM public key"):
        verify_signature(m, "AAAA", b"garbage")


def test_key_rotation_chain_stays_verifiable_from_the_first_key(folder):
    m = build_manifest(folder)
    chain = SignatureChain.start(m, KEYS[0])
    second, third = generate_keypair(), generate_keypair()
    chain.rotate(m, KEYS[0], second[0]).rotate(m, second[0], third[0])
    assert chain.verify(m, KEYS[1]) == (True, "3 key(s), all signatures valid")
    assert chain.current_public_key.strip() == third[1].strip()
    assert not chain.verify(m, OTHER[1])[0]
    again = SignatureChain.from_json(chain.to_json())
    assert again.verify(m, KEYS[1])[0]
    broken = SignatureChain.from_json(chain.to_json())
    broken.links[1]["endorsement"] = broken.links[2]["endorsement"]
    ok, why = broken.verify(m, KEYS[1])
    assert not ok and "key 2" in why and "not endorsed" in why
    with pytest.raises(LifecycleKitError, match="only the current key may endorse"):
        chain.rotate(m, KEYS[0], OTHER[0])


def test_merkle_proofs_for_every_leaf():
    leaves = [f"{i:064x}" for i in range(7)]
    tree = MerkleTree(leaves)
    for i, leaf in enumerate(leaves):
        assert MerkleTree.verify(leaf, tree.proof(i), tree.root)
        assert not MerkleTree.verify(f"{99:064x}", tree.proof(i), tree.root)
    with pytest.raises(LifecycleKitError, match="leaf index"):
        tree.proof(7)


cell_values = st.one_of(st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False, width=32),
                        st.text(alphabet="abcxyz,\" ", min_size=1, max_size=5))


@settings(max_examples=50, deadline=None)
@given(rows=st.integers(2, 30), cols=st.integers(1, 4), data=st.data())
def test_any_single_cell_change_is_located(rows, cols, data):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.integers(0, 100, (rows, cols)), columns=[f"c{j}" for j in range(cols)]).astype(object)
    record = RowManifest.from_frame(frame)
    i, j = data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, cols - 1))
    value = data.draw(cell_values)
    if str(value) == str(frame.iat[i, j]):
        return
    changed = frame.copy()
    changed.iat[i, j] = value
    diff = record.diff(changed)
    assert diff.changed == [i] and not diff.added and not diff.removed


def test_row_manifest_keys_inserts_and_schema():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "v": [1, 2, 3]})
    record = RowManifest.with_keys(frame, "id")
    moved = pd.DataFrame({"id": ["c", "a", "d"], "v": [3, 9, 4]})
    diff = record.diff(moved, key="id")
    assert diff.changed == [1] and diff.added == [2] and diff.removed == [1]
    assert RowManifest.from_json(record.to_json()) == record
    assert record.diff(frame.rename(columns={"v": "w"})).schema_changed
    assert record.diff(frame.iloc[:2]).removed == [2]


def _archive(tmp_path, **kwargs):
    table = pd.DataFrame({"a": range(20), "b": [f"x{i}" for i in range(20)]})
    recorder = LineageRecorder(table, name="t")
    recorder.apply("double", lambda df: df.assign(a=df["a"] * 2))
    sheet = Datasheet.from_frame(recorder.frame, name="t")
    path = tmp_path / "a.tar.gz"
    write_archive(path, tables={"t": recorder.frame}, private_key=KEYS[0], datasheet=sheet, lineage=recorder.lineage,
                  **kwargs)
    return path, recorder.frame


def test_archive_round_trip_and_extraction(tmp_path):
    path, table = _archive(tmp_path)
    check = open_archive(path, KEYS[1], extract_to=tmp_path / "out")
    assert check.ok, check.problems
    pd.testing.assert_frame_equal(check.tables["t"], table)
    assert (tmp_path / "out" / "datasheet.md").exists() and (tmp_path / "out" / "lineage.json").exists()
    assert not open_archive(path, OTHER[1]).ok


@pytest.mark.parametrize("how,expected", [("one byte in a data row", "changed rows: 7"),
                                          ("datasheet edited", "datasheet.md does not match"),
                                          ("manifest forged", "signature"), ("file added", "not in the manifest")])
def test_archive_tampering_is_refused_and_located(tmp_path, how, expected):
    path, _ = _archive(tmp_path)
    tamper_archive(path, how, table="t", row=7)
    check = open_archive(path, KEYS[1], extract_to=tmp_path / "never")
    assert not check.ok and expected in check.summary() and not check.tables
    assert not (tmp_path / "never").exists()
    if how == "one byte in a data row":
        assert check.row_changes["data/t.csv"].changed == [7]


def test_archive_key_rotation_keeps_it_verifiable(tmp_path):
    path, _ = _archive(tmp_path)
    second = generate_keypair()
    chain = rotate_archive_key(path, KEYS[0], second[0])
    assert len(chain.links) == 2
    assert open_archive(path, KEYS[1]).ok


def _tar_with(tmp_path, name, *, symlink=False):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(name)
        if symlink:
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
        else:
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))
    return path


@pytest.mark.parametrize("name,symlink,message", [("/etc/evil", False, "absolute path"),
                                                  ("../../evil", False, "climbs out"),
                                                  ("data/../../evil", False, "climbs out"),
                                                  ("link", True, "is a link")])
def test_archive_extraction_refuses_escapes(tmp_path, name, symlink, message):
    path = _tar_with(tmp_path, name, symlink=symlink)
    with pytest.raises(IntegrityError, match=message):
        open_archive(path, KEYS[1], extract_to=tmp_path / "out")
    assert not (tmp_path / "evil").exists()


def test_not_an_archive(tmp_path):
    (tmp_path / "x.tar.gz").write_bytes(b"nonsense")
    with pytest.raises(LifecycleKitError, match="not a readable archive"):
        open_archive(tmp_path / "x.tar.gz", KEYS[1])


def test_lineage_and_datasheet(tmp_path):
    frame = pd.DataFrame({"x": [1.0, None, 3.0], "y": ["a", "b", "a"]})
    recorder = LineageRecorder(frame, name="raw", agent="me")
    recorder.apply("fill", lambda df, value: df.fillna(value), value=0.0)
    lineage = recorder.lineage
    assert [a["parameters"] for a in lineage.activities] == [{"value": 0.0}]
    assert lineage.check(lineage.activities[0]["generated"][0], recorder.frame)
    assert not lineage.check(lineage.activities[0]["used"][0], recorder.frame)
    assert Lineage.from_json(lineage.to_json()) == lineage
    prov = json.loads(lineage.to_prov_json())
    assert len(prov["entity"]) == 2 and len(prov["used"]) == 1 and len(prov["wasGeneratedBy"]) == 1
    assert "| 1 | fill |" in lineage.to_markdown()
    with pytest.raises(LifecycleKitError, match="must return a DataFrame"):
        recorder.apply("bad", lambda df: 3)
    sheet = Datasheet.from_frame(frame, name="t", target="y")
    scores = sheet.completeness()
    assert 0 < scores["composition"] < 1 and scores["motivation"] == 0 and 0 < scores["overall"] < 0.3
    assert "1 exact duplicate" not in sheet.to_markdown() and "_not answered_" in sheet.to_markdown()
    sheet.answer("motivation", "Who funded its creation?", "Nobody")
    assert sheet.completeness()["motivation"] == pytest.approx(1 / 3)
    with pytest.raises(LifecycleKitError, match="is not a question of section"):
        sheet.answer("motivation", "Why?", "x")
    assert Datasheet.from_json(sheet.to_json()) == sheet
