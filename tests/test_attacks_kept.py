"""What the second attack review (issue 22) tried and found holding, kept as tests so it keeps holding: the Merkle
tree against RFC 6962 / RFC 9162 on every size up to 300, Excel files with external entities or a billion laughs,
path tricks in LIFECYCLE_KIT_LANG, and the command line fuzzed without a traceback.
"""

import contextlib
import functools
import hashlib
import io
import string
import sys
import zipfile
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.integrity import MerkleTree

# --- RFC 6962 (section 2.1) and RFC 9162 (section 2.1.3.2), written out from the RFCs ---------------------------

DATA = [f"entry {i}".encode() for i in range(300)]


def _sha(data):
    return hashlib.sha256(data).digest()


def _split(n):
    """The largest power of two smaller than n (RFC 6962: k < n <= 2k)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def _mth(lo, hi):
    """MTH(D[lo:hi]) of RFC 6962 2.1: the leaf hash of one entry, else the node hash of the split halves."""
    if hi - lo == 1:
        return _sha(b"\x00" + DATA[lo])
    k = _split(hi - lo)
    return _sha(b"\x01" + _mth(lo, lo + k) + _mth(lo + k, hi))


def _path(m, lo, hi):
    """PATH(m, D[lo:hi]) of RFC 6962 2.1.1: the audit path of entry m, from the leaf up."""
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if m < k:
        return _path(m, lo, lo + k) + [_mth(lo + k, hi)]
    return _path(m - k, lo + k, hi) + [_mth(lo, lo + k)]


def _rfc9162_verify(index, size, leaf, path, root):
    """The inclusion proof check of RFC 9162 2.1.3.2, step by step."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _sha(b"\x01" + p + r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _sha(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def test_merkle_tree_agrees_with_rfc_6962_and_9162_on_every_size_and_leaf():
    """Every tree of 1 to 300 leaves and every leaf in it (45,150 proofs): the kit's root is MTH, its proof is PATH,
    RFC 9162's check and the kit's accept it, both refuse it for the neighbouring index, and they agree on it claimed
    for a tree one leaf larger (which a row manifest refuses anyway: a proof's size must be its row count)."""
    leaves = [_sha(b"\x00" + d) for d in DATA]
    disagreements = []
    for n in range(1, len(DATA) + 1):
        tree = MerkleTree(leaves[:n])
        root = _mth(0, n)
        if tree.root != root.hex():
            disagreements.append(f"root of {n}")
            continue
        for m in range(n):
            proof = tree.proof(m)
            path = [bytes.fromhex(h) for h in proof.path]
            if path != _path(m, 0, n):
                disagreements.append(f"path of leaf {m} of {n}")
            if not (_rfc9162_verify(m, n, leaves[m], path, root) and MerkleTree.verify(leaves[m].hex(), proof,
                                                                                        tree.root)):
                disagreements.append(f"proof of leaf {m} of {n} refused")
            if n > 1:
                other = (m + 1) % n
                ours = MerkleTree.verify(leaves[m].hex(), replace(proof, index=other), tree.root)
                if ours or ours != _rfc9162_verify(other, n, leaves[m], path, root):
                    disagreements.append(f"proof of leaf {m} of {n} accepted for leaf {other}")
            # Claimed for a tree one larger (against this root): the shape alone decides, so both must say the same.
            larger = MerkleTree.verify(leaves[m].hex(), replace(proof, size=n + 1), tree.root)
            if larger != _rfc9162_verify(m, n + 1, leaves[m], path, root):
                disagreements.append(f"proof of leaf {m} of {n} for a tree of {n + 1}: the kit says {larger}")
    assert not disagreements, disagreements[:20]


# --- Excel: external entities and a billion laughs ---------------------------------------------------------------

def _xlsx_with_doctype(tmp_path, name, doctype, reference):
    pytest.importorskip("openpyxl")
    base = tmp_path / "base.xlsx"
    pd.DataFrame({"a": ["x", "y"], "b": [1, 2]}).to_excel(base, index=False)
    path = tmp_path / name
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.namelist():
            data = source.read(member)
            if member == "xl/worksheets/sheet1.xml":
                data = (doctype + data.decode().replace("<t>x</t>", f"<t>{reference}</t>", 1)).encode()
            target.writestr(member, data)
    return path


def test_excel_file_with_an_external_entity(tmp_path):
    """A sheet declaring an entity that reads a local file (XXE): refused, the file's content never in the frame."""
    from lifecycle_kit.tables import read_table

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    path = _xlsx_with_doctype(tmp_path, "xxe.xlsx", f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
                              "&xxe;")
    try:
        frame = read_table(path).frame
    except LifecycleKitError as err:
        assert "not a readable Excel file" in str(err)
    else:
        assert "TOP-SECRET" not in frame.to_csv()


def test_excel_file_with_a_billion_laughs(tmp_path):
    """Nine levels of ten entities each (10^9 copies of a word): refused at once, nothing expanded."""
    import time

    from lifecycle_kit.tables import read_table

    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    path = _xlsx_with_doctype(tmp_path, "laughs.xlsx", f"<!DOCTYPE worksheet [{entities}]>", "&a9;")
    started = time.perf_counter()
    try:
        frame = read_table(path).frame
    except LifecycleKitError as err:
        assert "not a readable Excel file" in str(err)
    else:
        assert frame.to_csv().count("lol") < 100
    assert time.perf_counter() - started < 10


# --- the language from the environment ------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["../../../../etc/passwd", "ru/../../../tmp", "/etc", "..", ".",
                                   "ru/LC_MESSAGES", "..%2f..%2fetc", "C:\\Windows", "ru_RU.UTF-8/../../x",
                                   "ru" + "/" * 5000, "\u202eur", "ru@../../x", "*", "~"])
def test_path_tricks_in_the_language_variable(monkeypatch, value):
    """LIFECYCLE_KIT_LANG names a language, never a path: each trick falls back to a language of the kit, and the
    catalog is only ever looked up under the kit's locale folder for a language it has."""
    import gettext

    from lifecycle_kit import i18n

    asked = []
    real_translation = gettext.translation

    def translation(domain, localedir=None, languages=None, **kwargs):
        asked.append((localedir, tuple(languages or ())))
        return real_translation(domain, localedir=localedir, languages=languages, **kwargs)

    monkeypatch.setattr(gettext, "translation", translation)
    monkeypatch.setattr(i18n, "_catalog", functools.cache(i18n._catalog.__wrapped__))  # a fresh cache
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv(i18n.ENV_VARIABLE, value)
    lang = i18n.get_language()
    assert lang in i18n.available_languages()
    assert i18n._("Correct.") in ("Correct.", "Верно.")
    assert all(folder == str(i18n.LOCALE_DIR) and set(languages) <= set(i18n.available_languages())
               for folder, languages in asked), asked


@pytest.mark.parametrize("value", ["../../etc", "ru/..", "/tmp/ru"])
def test_path_tricks_in_the_lang_option(capsys, value):
    from lifecycle_kit.cli import main

    assert main(["datasets", "--lang", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --lang:") and err.count("\n") == 1


# --- the command line, fuzzed ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory):
    """Files the fuzzer may name: a good table, odd ones, a spec, a manifest, keys, folders and garbage."""
    from lifecycle_kit.integrity import build_manifest, generate_keypair

    folder = tmp_path_factory.mktemp("fuzz")
    good = pd.DataFrame({"x": [1.5, 2.5, 3.5, 4.5, None, 6.5] * 3, "g": list("abcabc") * 3, "y": [0, 1] * 9})
    good.to_csv(folder / "good.csv", index=False)
    (folder / "ragged.csv").write_text("a,b\n1,2,3\n4\n")
    (folder / "empty.csv").write_text("")
    (folder / "header.csv").write_text("a,b\n")
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (folder / "nan.csv").write_text("y,x\n,1\n,2\n,3\n")
    (folder / "escape.csv").write_text("\x1b[31ma,b\n1,2\n")
    with gzip_open(folder / "good.csv.gz") as handle:
        handle.write((folder / "good.csv").read_bytes())
    (folder / "broken.csv.gz").write_bytes(b"\x1f\x8b\x08\x00 not gzip")
    (folder / "spec.json").write_text('{"columns": [{"name": "x", "min": 0}]}')
    (folder / "bad-spec.json").write_text('{"columns": [{"name": "x", "min": "abc"}]}')
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "data").mkdir()
    (folder / "data" / "a.csv").write_text("x\n1\n")
    build_manifest(folder / "data").save(folder / "m.json")
    private, public = generate_keypair()
    (folder / "k.key").write_bytes(private)
    (folder / "k.pub").write_bytes(public)
    (folder / "m.json.sig").write_text("AAAA\n")
    return folder


def gzip_open(path):
    import gzip

    return gzip.open(path, "wb")


TABLES = ["good.csv", "ragged.csv", "empty.csv", "header.csv", "binary.csv", "nan.csv", "escape.csv", "good.csv.gz",
          "broken.csv.gz", "deep.json", "missing.csv", "data", "/dev/null"]
JSONS = ["spec.json", "bad-spec.json", "deep.json", "m.json", "good.csv", "missing.csv"]
FORMATS = ["text", "json", "markdown", "html", "xml", ""]
WORDS = ["x", "y", "g", "nope", "", "-", "--", "\x1b[2J", "ü", "0", "-1", "1e309", "nan", ";", "\\t"]
# What each command takes: (positional arguments, {option: values or None for a flag}).
COMMANDS = {
    "check": ([TABLES], {"--target": ["x", "y", "g", "nope"], "--spec": JSONS, "--format": FORMATS,
                         "--threshold": ["Com-ML-1=0.9", "Com-ML-1=abc", "=", "Nope-1=0.5", "Com-ML-1=7"],
                         "--encoding": ["utf-8", "cp1251", "utf-16", "nope"], "--delimiter": [",", ";", "\\t", "ab", ""],
                         "--gate": None, "--json": None}),
    "drift": ([TABLES, TABLES], {"--method": ["auto", "ks", "chi2", "psi", "nope"], "--correction": ["holm", "bh", "x"],
                                 "--columns": ["x", "x,g", "nope", ",", ""], "--format": FORMATS, "--json": None}),
    "report": ([TABLES], {"--target": ["x", "y", "nope"], "--reference": TABLES, "--spec": JSONS,
                          "--manifest-dir": ["data", "missing.csv", "good.csv"], "--manifest": JSONS,
                          "--title": ["<b>\x1b[2J</b>", ""], "--format": FORMATS, "--json": None}),
    "manifest": ([["create", "verify", "delete"], ["data", "good.csv", "missing.csv"], JSONS], {}),
    "sign": ([JSONS], {"--key": ["k.key", "k.pub", "good.csv", "missing.csv"], "--passphrase-env": ["NOPE"]}),
    "verify": ([JSONS, ["m.json.sig", "good.csv", "missing.csv"]], {"--pub": ["k.pub", "k.key", "good.csv"]}),
    "datasets": ([], {"--json": None}),
    "nope": ([], {}),
}
# Not here: `progress` and `class-report`, whose readers of hostile progress files are the other half of issue 22.
LANGS = ["en", "ru", "xx", "../ru"]
junk = st.text(alphabet=string.printable + "éЖ\x00\u202e", max_size=8)


def _command_line(data):
    """A command line: mostly well-formed (so runs reach the reading and measuring), with hostile values and junk."""
    command = data.draw(st.sampled_from(sorted(COMMANDS)))
    positionals, options = COMMANDS[command]
    argv = [command]
    for pool in positionals:
        if data.draw(st.integers(0, 9)):  # sometimes left out
            argv.append(data.draw(st.sampled_from(pool + ["good.csv"] * len(pool) if pool is TABLES else pool)))
    for option in data.draw(st.lists(st.sampled_from(sorted(options)), max_size=3, unique=True)) if options else []:
        argv.append(option)
        if options[option] is not None:
            argv.append(data.draw(st.sampled_from(options[option] * 3 + WORDS)))
    if data.draw(st.integers(0, 4)) == 0:
        argv += ["--lang", data.draw(st.sampled_from(LANGS))]
    if data.draw(st.integers(0, 5)) == 0:
        argv.insert(data.draw(st.integers(0, len(argv))), data.draw(junk))
    return argv


@pytest.mark.parametrize("argv", [["check", "deep.json"], ["check", "good.csv", "--spec", "deep.json"],
                                  ["report", "good.csv", "--spec", "deep.json", "--format", "json"]])
def test_what_the_fuzzer_found(fuzz_folder, monkeypatch, capsys, argv):
    """Before: a file whose first line is 200,000 brackets ended `check` in _csv.Error (field larger than field
    limit), and as a --spec in RecursionError: both tracebacks. Now one error line each."""
    from lifecycle_kit.cli import main

    monkeypatch.chdir(fuzz_folder)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_command_lines_end_without_a_traceback(fuzz_folder, monkeypatch, data):
    """Random command lines over real and hostile files: every run ends with status 0, 1 or 2 (2 with one line
    `error: ...`), never an exception out of main (the review ran ~11,000 such runs; here 200, the same each time)."""
    from lifecycle_kit.cli import main

    monkeypatch.chdir(fuzz_folder)
    monkeypatch.setenv("HOME", str(fuzz_folder))  # `progress` and `keygen` write nowhere else
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS", "off")
    argv = _command_line(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    error = err.getvalue()
    assert code in (0, 1, 2, 141), (argv, code, error)
    assert "Traceback" not in error, (argv, error)
    if code == 2:
        assert error.startswith("error: ") and error.count("\n") == 1, (argv, error)
    assert sys.stdout is not out
    OUTCOMES[code] = OUTCOMES.get(code, 0) + 1


OUTCOMES = {}
