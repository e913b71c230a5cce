"""Issue 22, the low ones: files written through links, decompression bombs, tracebacks from odd targets, and
translations that reach into their values. Each docstring says what the kit did before the fix.
"""

import bz2
import gzip
import io
import lzma
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.cli import main


def run_cli(*args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code, err):
    return code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


# --- outputs never written through a link ---------------------------------------------------------------------

@pytest.fixture
def workspace(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=40).round(3), "g": rng.choice(list("ab"), 40)})
    frame.to_csv(tmp_path / "t.csv", index=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    from lifecycle_kit.integrity import build_manifest, generate_keypair

    build_manifest(tmp_path / "data").save(tmp_path / "m.json")
    (tmp_path / "k.key").write_bytes(generate_keypair()[0])
    victim = tmp_path / "elsewhere" / "thesis.tex"
    victim.parent.mkdir()
    victim.write_text("years of work\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path, victim


OUTPUTS = {
    "check --html": (["check", "t.csv", "--html", "out.html"], "out.html"),
    "drift --html": (["drift", "t.csv", "t.csv", "--html", "out.html"], "out.html"),
    "report --html": (["report", "t.csv", "--html", "out.html"], "out.html"),
    "report --markdown": (["report", "t.csv", "--markdown", "out.md"], "out.md"),
    "manifest --output": (["manifest", "create", "data", "--output", "out.json"], "out.json"),
    "sign (the .sig)": (["sign", "m.json", "--key", "k.key"], "m.json.sig"),
}


@pytest.mark.parametrize("link", ["symbolic", "hard"])
@pytest.mark.parametrize("command", list(OUTPUTS))
def test_outputs_are_written_through_an_existing_link(workspace, capsys, command, link):
    """Before: `--html`, `--markdown`, `manifest --output` and the `.sig` of `sign` opened an existing output name
    for writing: a symbolic link planted there (or a hard link) made the kit overwrite the file it pointed to. Now
    the output is written beside and renamed over the name: the link is replaced, the file it pointed to kept."""
    folder, victim = workspace
    args, name = OUTPUTS[command]
    try:
        if link == "symbolic":
            (folder / name).symlink_to(victim)
        else:
            (folder / name).hardlink_to(victim)
    except OSError:
        pytest.skip(f"no {link} links here")
    code, _, err = run_cli(*args, capsys=capsys)
    assert code in (0, 1), err
    assert victim.read_text() == "years of work\n", f"{command} wrote through the {link} link"
    assert not (folder / name).is_symlink() and (folder / name).stat().st_size > 0
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())  # no temporary file left behind


def test_an_output_that_is_a_folder_is_one_error_line(workspace, capsys):
    folder, _ = workspace
    (folder / "out.html").mkdir()
    code, _, err = run_cli("check", "t.csv", "--html", "out.html", capsys=capsys)
    assert one_error_line(code, err), err


def test_a_replaced_output_keeps_its_permissions(workspace, capsys):
    folder, _ = workspace
    (folder / "out.html").write_text("old")
    os.chmod(folder / "out.html", 0o600)
    code, _, err = run_cli("check", "t.csv", "--html", "out.html", capsys=capsys)
    assert code == 0, err
    assert (folder / "out.html").stat().st_mode & 0o777 == 0o600 and "<html" in (folder / "out.html").read_text()


# --- decompression bombs --------------------------------------------------------------------------------------

BOMB_ROWS = 2_000_000  # "1,2\n" each: 8 MB of text from a few kilobytes


def _bomb(path, kind):
    body = b"a,b\n" + b"1,2\n" * BOMB_ROWS
    if kind == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("t.csv", body)
    else:
        with {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind](path, "wb") as handle:
            handle.write(body)
    return path


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "zip"])
@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_a_compressed_csv_expanding_a_thousandfold_is_read_whole(tmp_path, monkeypatch, capsys, kind):
    """Before: a 611 KB .csv.gz expanding to 600 MiB was decompressed and parsed whole (600 MiB of text, a frame
    of 150 million rows). Now a compressed table may expand to MAX_DECOMPRESSED_BYTES or 100 times its size,
    whichever is more; past that it is refused, at most that much decompressed. (Here the limit is lowered to
    1 MiB, so an 8 MB bomb shows it in a fraction of a second.)"""
    import tracemalloc

    import lifecycle_kit.tables as tables

    monkeypatch.setattr(tables, "MAX_DECOMPRESSED_BYTES", 1 << 20, raising=False)
    path = _bomb(tmp_path / f"bomb.csv.{kind}", kind)
    assert path.stat().st_size * 100 < 8_000_000 / 2
    tracemalloc.start()
    try:
        with pytest.raises(LifecycleKitError, match="decompression bomb"):
            tables.read_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 24 << 20, f"peak {peak / 2**20:.1f} MiB"  # read whole: the frame alone is 32 MB
    code, _, err = run_cli("check", path, capsys=capsys)
    assert one_error_line(code, err) and "decompression bomb" in err, err


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_a_compressed_csv_under_the_limit_is_read(tmp_path, monkeypatch):
    import lifecycle_kit.tables as tables

    monkeypatch.setattr(tables, "MAX_DECOMPRESSED_BYTES", 1 << 20, raising=False)
    frame = pd.DataFrame({"a": np.arange(50_000), "b": np.arange(50_000) * 0.5})
    frame.to_csv(tmp_path / "t.csv.gz", index=False)  # about 900 KB of text, under 1 MiB
    pd.testing.assert_frame_equal(tables.read_table(tmp_path / "t.csv.gz").frame, frame)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_an_excel_or_parquet_file_that_expands_past_the_limit(tmp_path, monkeypatch, suffix):
    """The .xlsx (a zip of XML) and Parquet (compressed pages) readers check the sizes their files declare first
    (here the limits are lowered to 64 KiB and twice the file's size)."""
    import lifecycle_kit.tables as tables

    pytest.importorskip("openpyxl" if suffix == ".xlsx" else "pyarrow")
    monkeypatch.setattr(tables, "MAX_DECOMPRESSED_BYTES", 64 << 10, raising=False)
    monkeypatch.setattr(tables, "MAX_EXPANSION_RATIO", 2, raising=False)
    frame = pd.DataFrame({"a": [1] * 20_000, "b": ["same text"] * 20_000})
    path = tmp_path / f"t{suffix}"
    frame.to_excel(path, index=False) if suffix == ".xlsx" else frame.to_parquet(path, index=False)
    with pytest.raises(LifecycleKitError, match="decompression bomb"):
        tables.read_table(path)


def test_rescan_holds_every_zip_member_in_memory_at_once(tmp_path):
    """Before: rescan decompressed every member of a zip (up to 256 MiB each) into one list before scanning any:
    12 members of 2 MiB of zeros (a 25 KB .npz) took 24 MiB. Now one member at a time, 256 MiB per file in all."""
    import tracemalloc

    from lifecycle_kit.decommission import rescan

    folder = tmp_path / "scan"
    folder.mkdir()
    zeros = bytes(2 << 20)
    with zipfile.ZipFile(folder / "arrays.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(12):
            archive.writestr(f"a{i}.npy", zeros)
    frame = pd.DataFrame({"a": [1.25, 2.5], "b": [10.5, 20.25]})
    tracemalloc.start()
    try:
        found = rescan(folder, frame)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found["rows_found"].tolist() == [0]
    assert peak < 12 << 20, f"peak {peak / 2**20:.0f} MiB"


def test_rescan_decompresses_at_most_the_cap_per_file(tmp_path, monkeypatch):
    """Members past the per-file cap are not decompressed: rows stored after it are not found (said in the doc)."""
    import lifecycle_kit.decommission as decommission

    monkeypatch.setattr(decommission, "_MAX_EXPANDED", 1 << 20)
    frame = pd.DataFrame({"a": [1.25, 2.5], "b": [10.5, 20.25]})
    folder = tmp_path / "scan"
    folder.mkdir()
    with zipfile.ZipFile(folder / "late.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padding.bin", bytes(2 << 20))
        archive.writestr("rows.csv", frame.to_csv(index=False))
    with zipfile.ZipFile(folder / "early.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rows.csv", frame.to_csv(index=False))
        archive.writestr("padding.bin", bytes(2 << 20))
    found = decommission.rescan(folder, frame).set_index("path")["rows_found"]
    assert found["early.zip"] == 2 and found["late.zip"] == 0


def test_archive_members_past_the_byte_limit_are_refused_before_decompressing(tmp_path, monkeypatch):
    """A .tar.gz whose members declare more bytes than open_archive may read is refused while its headers are read:
    going on to the next member would decompress the one before."""
    import tarfile

    import lifecycle_kit.integrity.archive as archive
    from lifecycle_kit import IntegrityError
    from lifecycle_kit.integrity import generate_keypair, open_archive

    monkeypatch.setattr(archive, "_METADATA_BYTES", 4 << 10)  # the allowance for MANIFEST.json and SIGNATURES.json
    path = tmp_path / "big.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for i in range(3):
            info = tarfile.TarInfo(f"data/part{i}.csv")
            info.size = 4 << 20
            tar.addfile(info, io.BytesIO(bytes(info.size)))
    with pytest.raises(IntegrityError, match="add up to more than"):
        open_archive(path, generate_keypair()[1], max_bytes=1 << 20)


# --- tracebacks from odd targets and columns ------------------------------------------------------------------

def _frame_with(target):
    rng = np.random.default_rng(0)
    return pd.DataFrame({"x": rng.normal(size=60), "g": rng.choice(list("abc"), 60), "y": target})


TARGETS = {
    "nullable boolean with missing values": pd.Series([True, False, pd.NA] * 20, dtype="boolean"),
    "object booleans with pd.NA": pd.Series([True, False, pd.NA] * 20, dtype=object),
    "all NaN": pd.Series([np.nan] * 60),
    "all None": pd.Series([None] * 60, dtype=object),
    "all missing, nullable boolean": pd.Series([pd.NA] * 60, dtype="boolean"),
}


@pytest.mark.parametrize("name", list(TARGETS))
def test_check_and_report_with_an_odd_target(name):
    """Before: a nullable-boolean target with missing values (as Parquet and Excel hand it over) ended `check` and
    `report` in TypeError: boolean value of NA is ambiguous (the portability measure compared pd.NA with ==). All-NaN
    targets are checked here too; they did not fail in this version."""
    from lifecycle_kit.quality import assess
    from lifecycle_kit.report import LifecycleReport

    frame = _frame_with(TARGETS[name])
    report = assess(frame, target="y", reference=frame.drop(columns="y"))
    assert report.value("Por-ML-1") == 1.0, report["Por-ML-1"].detail
    document = LifecycleReport("odd target")
    document.add("Data preparation", report)
    assert "Portability" in document.to_html() or "portab" in document.to_html().lower()


@pytest.mark.parametrize("command", ["check", "report"])
def test_cli_with_a_nullable_boolean_target_from_parquet(tmp_path, capsys, command):
    """Before: `check t.parquet --target y` with a nullable-boolean y printed a TypeError traceback."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    _frame_with(TARGETS["nullable boolean with missing values"]).to_parquet(path, index=False)
    args = ["check", path, "--target", "y"] if command == "check" else ["report", path, "--target", "y", "--format",
                                                                         "json"]
    code, out, err = run_cli(*args, capsys=capsys)
    assert code == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("column", [np.arange(20) + 1j, pd.Series([complex(i, 1) for i in range(20)], dtype=object)])
def test_a_complex_column_in_assess(column):
    """Before: assess cast a complex column to float, dropping the imaginary parts with a ComplexWarning, and
    measured the real parts as if they were the data. Now it is a LifecycleKitError naming the column."""
    from lifecycle_kit.drift import compare
    from lifecycle_kit.quality import assess

    frame = pd.DataFrame({"z": column, "n": np.arange(20.0)})
    with pytest.raises(LifecycleKitError, match="column 'z' holds complex numbers"):
        assess(frame)
    with pytest.raises(LifecycleKitError, match="reference column 'z' holds complex numbers"):
        compare(frame, frame)


# --- translations fill plain named fields only ----------------------------------------------------------------

@pytest.mark.parametrize("translation", ["Верно: {value[0]}.", "Верно: {value.__class__}.", "Верно: {value.nope}.",
                                         "Верно: {value:{value.__class__}}.", "Верно: {}.",
                                         "Верно: {0}.", "Верно: {value:99999999}."])
def test_a_translation_that_indexes_or_reaches_into_its_values(monkeypatch, translation):
    """Before: a catalog entry was filled with str.format's full field syntax: '{value[0]}' indexed the value,
    '{value.__class__}' reached its attributes (a translation could read what the kit passed it), and TypeError or
    AttributeError escaped _() (only KeyError, IndexError and ValueError fell back to English). Now only plain
    named fields are filled (and widths below 1000); anything else shows the English phrase."""
    import gettext

    from lifecycle_kit import i18n

    class Catalog(gettext.NullTranslations):
        def gettext(self, message):
            return translation

    monkeypatch.setattr(i18n, "_catalog", lambda lang: Catalog())
    for value in (5, "abc", 0.25):
        shown = i18n._("Correct: {value}.", lang="ru", value=value)
        assert shown == f"Correct: {i18n.format_value(value, '', 'ru')}.", shown


def test_the_catalogs_use_plain_named_fields_only():
    """Every placeholder of every catalog entry, English and translated, is a plain name with a short format spec."""
    import re
    import string
    from pathlib import Path

    from babel.messages.pofile import read_po

    problems = []
    for po in sorted((Path(__file__).resolve().parents[1] / "lifecycle_kit" / "locale").glob("*/LC_MESSAGES/*.po")):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        for entry in catalog:
            if not entry.id:
                continue
            texts = [*(entry.id if isinstance(entry.id, tuple) else (entry.id,)),
                     *(entry.string if isinstance(entry.string, tuple) else (entry.string,))]
            for text in texts:
                try:
                    fields = [(name, spec) for _literal, name, spec, _conversion in string.Formatter().parse(text)
                              if name is not None]
                except ValueError as err:
                    problems.append(f"{po.parent.parent.name}: {text!r}: {err}")
                    continue
                for name, spec in fields:
                    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or re.search(r"\d{4,}|\{", spec or ""):
                        problems.append(f"{po.parent.parent.name}: {text!r}: placeholder {{{name}:{spec}}}")
    assert not problems, "\n".join(problems)
