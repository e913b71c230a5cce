"""Attacks on the class report through learners' progress files (issue 22): each test is an attack that worked.

A learner controls their own progress file (their kernel writes it, and so can they), the folders in their
home, and on a self-sign-up hub their user name. The instructor reads the report in a browser on the hub's
origin, in a spreadsheet and in a terminal; on the hub the report is made by a service running as root.
Every test is named after what must hold; its docstring says what the kit did on main before the fix
(commit dde6568), where every one of these tests fails.
"""

import html.parser
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.cli import main
from lifecycle_kit.course.class_report import build_class_report
from lifecycle_kit.course.progress import read_progress, record

# Hostile text for every field a learner controls: markup, attribute breakers, a javascript: URL, tags that
# would fetch (the page must request nothing), template syntax, a right-to-left override and isolates (they
# reorder what the instructor reads), terminal escapes (clear screen, set the title), formula starters.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "\"><svg onload=alert(3)>",
    "'><iframe src=javascript:alert(4)>",
    "javascript:alert(5)",
    "</td></tr></table><script>alert(6)</script>",
    "</title></style><script>alert(7)</script>",
    "<style>body{background:url(http://127.0.0.1:9/css)}</style>",
    "<a href=\"http://127.0.0.1:9/a\">click</a>",
    "<meta http-equiv=refresh content=\"0;url=http://127.0.0.1:9/m\">",
    "<base href=\"http://127.0.0.1:9/\"><link rel=stylesheet href=s.css>",
    "{{ 7*7 }}{% raw %}<!--",
    "&lt;b&gt;&amp;",
    "ada\u202egnp.exe",
    "\u2066isolated\u2069\u200f",
    "\x1b[2J\x1b]0;pwned\x07",
    "=HYPERLINK(\"http://127.0.0.1:9/h\",\"x\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]

GOOD = {"schema": 1, "user": "ada", "notebook": "00_start_here", "question": "trust_stage", "event": "check",
        "status": "correct", "correct": True, "attempt": 1, "time": "2026-03-02T10:00:00Z"}


def _progress(root, learner):
    return Path(root) / learner / ".local" / "share" / "lifecycle-kit" / "progress.jsonl"


def _write(path, *items):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", errors="surrogatepass") as handle:
        for item in items:
            handle.write((item if isinstance(item, str) else json.dumps(item)) + "\n")
    return path


def _folder_name(text):
    """A payload as a folder name (no slash, no NUL, at most 255 bytes)."""
    return text.replace("/", "\u2215").replace("\0", "")[:80]


@pytest.fixture
def fuzzed_class(tmp_path):
    """A class in which each learner's home is named with a payload, and each file puts the payloads into
    every field: the user, notebook and question names of readable records, and the fields of damaged lines."""
    root = tmp_path / "homes"
    for i, payload in enumerate(PAYLOADS):
        learner = _folder_name(payload)
        path = _progress(root, learner)
        _write(path,
               {**GOOD, "user": learner},  # a record that counts, under a hostile learner name
               {**GOOD, "user": payload, "notebook": payload, "question": payload},
               {**GOOD, "user": learner, "question": payload},
               {**GOOD, "event": payload}, {**GOOD, "status": payload}, {**GOOD, "time": payload},
               {**GOOD, "attempt": payload}, payload)
    _write(_progress(root, "bob"), {**GOOD, "user": "bob"})
    return root


def _text(value):
    from lifecycle_kit.course.report_output import visible

    return visible(value)


class _PageParts(html.parser.HTMLParser):
    """Every element, attribute and text of a page, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text, self.comments = [], [], [], []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        self._style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


# The template's own elements and attributes; charts name and describe themselves with SVG <title> and <desc>
# (text, never an attribute), and the pre- against post-test chart draws its points as circles.
TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "table", "thead", "tbody", "tr", "th",
        "td", "svg", "desc", "text", "rect", "line", "circle"}
ATTRIBUTES = {"lang", "charset", "http-equiv", "content", "name", "class", "xmlns", "width", "height", "font-size",
              "font-family", "font-weight", "role", "x", "y", "x1", "x2", "y1", "y2", "text-anchor", "fill", "stroke",
              "stroke-dasharray", "cx", "cy", "r", "fill-opacity"}


def assert_text_only(page, payloads):
    """The page holds only the report's own elements and attributes; each payload is there as visible text."""
    parts = _PageParts()
    parts.feed(page)
    parts.close()
    assert set(parts.tags) <= TAGS, set(parts.tags) - TAGS
    assert {name for _tag, name, _value in parts.attributes} <= ATTRIBUTES
    assert not parts.comments
    metas = {(name, value) for tag, name, value in parts.attributes if tag == "meta" and name != "content"}
    assert metas == {("charset", "utf-8"), ("http-equiv", "Content-Security-Policy"), ("name", "referrer")}
    for tag, name, value in parts.attributes:
        if tag == "meta" or name in ("xmlns", "lang", "font-family"):
            continue
        assert value is None or all(ch.isalnum() or ch in "#.-_ %" for ch in value), (tag, name, value)
    text = "".join(parts.text)
    for payload in payloads:
        assert _text(payload) in text, payload
    assert "\x1b" not in text and "\u202e" not in text


# --- high: stored XSS ----------------------------------------------------------------------------------------------

def test_a_notebook_named_with_a_script_is_text_in_the_page(tmp_path):
    """Before: a learner's check recorded for the notebook ``<script>…</script>`` was put into the completion
    legend's short column head unescaped, so the report ran the learner's script on the hub's origin."""
    path = tmp_path / "homes" / "eve" / "progress.jsonl"
    record("<script>alert(document.domain)</script>", "q", event="check", status="correct", path=path, user="eve")
    page = build_class_report([tmp_path / "homes"]).to_html()
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(document.domain)&lt;/script&gt;" in page


def test_a_fuzzed_class_gives_a_page_of_text_only(fuzzed_class):
    """Before: the page took markup from learners' notebook names (and the first hostile field that was not a
    plain string stopped the whole report with an error). Now every value a learner wrote is text: the page
    parses to the report's own elements and attributes only, and shows each payload, escaped, as text."""
    report = build_class_report([fuzzed_class])
    assert len(report.learners) == len(PAYLOADS) + 1
    assert_text_only(report.to_html(), PAYLOADS)


def test_the_render_path_escapes_any_table_chart_and_paragraph():
    """Before: there was no single render path (each table was put together with f-strings and its own escaping,
    and one was missed). Any table, chart label, heading and paragraph a report adds goes through the one
    autoescaping template."""
    import pandas as pd

    from lifecycle_kit.course.report_output import Section, bar_chart, render_page, scatter_chart

    frame = pd.DataFrame({payload: [payload, 1.5, None] for payload in PAYLOADS})
    sections = [Section(title=p, alerts=(p,), notes=(p,), table=frame, chart=bar_chart([p], [0.5], title=p))
                for p in PAYLOADS[:3]] + [Section(title="empty", table=frame.head(0), empty=PAYLOADS[3])]
    sections += [Section(title=p, chart=scatter_chart([0.25, 0.5], [0.75, 0.5], labels=[p, PAYLOADS[-1]], title=p,
                                                      description=p, xlabel=p, ylabel=p, diagonal_label=p))
                 for p in PAYLOADS[6:]]
    page = render_page(PAYLOADS[4], sections, subtitle=PAYLOADS[5])
    assert_text_only(page, PAYLOADS)
    assert page.count("<circle") == 2 * len(PAYLOADS[6:]) and page.count("<desc>") == 3 + len(PAYLOADS[6:])


def test_the_report_builds_no_html_outside_its_autoescaping_template():
    """Before: the class report built its page from strings (``"<p class='muted'>" + ...``), so escaping each
    value was up to each line of code. Now no module of the report holds a fragment of HTML, the template
    environment autoescapes everything, and no template marks a value safe."""
    import ast
    import re

    from lifecycle_kit.course import class_report, learner_files, report_output

    for module in (class_report, learner_files, report_output):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not re.search(r"<[A-Za-z!/]", node.value), (module.__name__, node.lineno, node.value)
        assert "Markup(" not in Path(module.__file__).read_text(encoding="utf-8")
    environment = report_output._template_environment()
    assert environment.autoescape is True and environment.finalize is not None
    for template in report_output.TEMPLATES.iterdir():
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", source), template.name


def test_the_page_forbids_scripts_and_requests_and_allows_only_its_own_stylesheet(tmp_path):
    """Before: the page had no Content-Security-Policy, so an injected script would have run with the hub's
    origin. Now the page's own policy allows no script, no request, no base or form target, and only the
    stylesheet whose hash it names (which is the page's own, so its styles apply)."""
    import base64
    import hashlib
    import re

    _write(_progress(tmp_path, "ada"), GOOD)
    page = build_class_report([tmp_path]).to_html()
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert policy, "no Content-Security-Policy in the page"
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).replace("&#39;", "'").split(";"))
    assert directives["default-src"] == directives["script-src"] == directives["img-src"] == "'none'"
    assert directives["base-uri"] == directives["form-action"] == "'none'"
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert directives["style-src"] == f"'sha256-{digest}'"
    assert "unsafe" not in policy.group(1) and " style=" not in page


def test_terminal_escapes_in_names_are_shown_not_obeyed_by_the_command_line(tmp_path, capsys):
    """Before: `lifecycle-kit progress` printed a notebook name from the file as it was, so an escape sequence in
    it cleared the instructor's or learner's screen or retitled the terminal; `class-report` stopped on the first
    damaged line. Now both show control and bidirectional characters as escapes."""
    hostile = "\x1b[2J\x1b]0;pwned\x07\u202e"
    learner = tmp_path / "homes" / f"ev{hostile}e"
    path = _write(learner / "progress.jsonl", {**GOOD, "user": learner.name, "notebook": hostile},
                  {**GOOD, "status": hostile})
    assert main(["class-report", str(tmp_path / "homes"), "--output", str(tmp_path / "out")]) == 0
    assert main(["progress", "--file", str(path)]) == 2  # the learner's own reader stays strict
    first = capsys.readouterr()
    path.write_text(json.dumps({**GOOD, "notebook": hostile}) + "\n")
    assert main(["progress", "--file", str(path)]) == 0
    second = capsys.readouterr()
    for out in (first.out, first.err, second.out, second.err):
        assert not any(ch in out for ch in "\x1b\x07\u202e"), out
    assert "\\x1b[2J" in first.out and "\\x1b[2J" in second.out


# --- medium: the report trusts content and follows links -------------------------------------------------------------

def test_records_count_for_the_home_that_holds_them_not_the_user_they_name(tmp_path):
    """Before: each record counted for the user it named, so Eve's file could charge Bob with revealing a
    solution (and with wrong first tries). Now a file counts for the learner whose home holds it; the claim
    is listed as a problem, and Bob's row shows only what Bob's own file holds."""
    _write(_progress(tmp_path, "bob"), {**GOOD, "user": "bob"})
    _write(_progress(tmp_path, "eve"), {**GOOD, "user": "bob", "event": "reveal", "status": "unanswered",
                                         "correct": False, "attempt": 0, "question": "free_licence"},
           {**GOOD, "user": "bob", "status": "incorrect", "correct": False, "question": "who_says_what"})
    report = build_class_report([tmp_path])
    rows = report.to_frame().set_index(["learner", "notebook"])
    assert rows.loc[("bob", "00_start_here"), ["answered", "revealed"]].tolist() == [1, 0]
    assert rows.loc[("eve", "00_start_here"), ["answered", "revealed"]].tolist() == [1, 1]
    assert report.reveals()["learners_revealed"].tolist() == [1]
    problems = report.problem_frame()
    assert any(learner == "eve" and "name another user (bob)" in what
               for learner, what in zip(problems["learner"], problems["problem"]))


def test_a_progress_file_that_is_a_link_out_of_the_homes_is_not_read(tmp_path):
    """Before: a learner's ``progress.jsonl`` replaced by a link to a file outside the homes (any file the
    root-run service can read) was followed and read. Now it is skipped and listed."""
    outside = _write(tmp_path / "elsewhere" / "secret.jsonl", {**GOOD, "user": "eve", "time": "2031-01-01T00:00:00Z"})
    _write(_progress(tmp_path / "homes", "bob"), {**GOOD, "user": "bob"})
    _progress(tmp_path / "homes", "eve").parent.mkdir(parents=True)
    _progress(tmp_path / "homes", "eve").symlink_to(outside)
    report = build_class_report([tmp_path / "homes"])
    assert (report.records["time"].dt.year < 2031).all() and len(report.records) == 1
    problems = report.problem_frame()
    assert problems.loc[problems["learner"] == "eve", "problem"].str.contains("is a link").any()


def test_a_home_or_folder_that_is_a_link_is_not_followed(tmp_path):
    """Before: a folder named to the report was followed when it was a link (``os.walk`` follows the folder it
    starts from; the hub's service named each learner's home that way), and links inside the homes were passed
    over without a word, so a learner whose ``.local`` was a link simply vanished from the report. Now a home or
    folder that is a link, and a link on the kit's own path inside a home, are skipped and listed."""
    outside = tmp_path / "elsewhere"
    _write(outside / "share" / "lifecycle-kit" / "progress.jsonl", {**GOOD, "user": "eve", "time": "2031-01-01T00:00:00Z"})
    _write(_progress(tmp_path / "homes", "bob"), {**GOOD, "user": "bob"})
    (tmp_path / "homes" / "eve").mkdir()
    (tmp_path / "homes" / "eve" / ".local").symlink_to(outside)
    (tmp_path / "homes" / "mallory").symlink_to(outside)
    (tmp_path / "linked-homes").symlink_to(tmp_path / "homes")
    report = build_class_report([tmp_path / "homes"])
    assert len(report.records) == 1 and report.records["user"].tolist() == ["bob"]
    problems = dict(zip(report.problem_frame()["learner"], report.problem_frame()["problem"]))
    assert "is a link" in problems["eve"] and "is a link" in problems["mallory"]
    code = main(["class-report", str(tmp_path / "linked-homes"), "--output", str(tmp_path / "out")])
    assert code == 2  # the only folder named is a link: nothing read, and the error says why


def _exchange(a, b):
    """renameat2(RENAME_EXCHANGE): swap two names atomically (Linux 3.15+)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    if libc.syscall(316, at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        raise OSError(ctypes.get_errno(), "renameat2")


@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64", reason="renameat2 syscall number")
def test_a_folder_swapped_for_a_link_while_the_report_walks_is_not_followed(tmp_path):
    """Before: the walk listed a folder, then opened it again by path, so a learner swapping a folder for a link
    at the right moment (``renameat2(RENAME_EXCHANGE)`` in a loop) had a file outside the homes read. Now every
    folder is opened relative to its parent's descriptor with ``O_NOFOLLOW``: the swap is refused, never
    followed."""
    outside = tmp_path / "elsewhere"
    _write(outside / "progress.jsonl", *[{**GOOD, "user": "eve", "time": "2031-01-01T00:00:00Z"}] * 3)
    kit = _progress(tmp_path / "homes", "eve").parent
    _write(kit / "progress.jsonl", {**GOOD, "user": "eve"})
    (kit.parent / "swap").symlink_to(outside)
    stop, swaps = threading.Event(), [0]

    def swap():
        while not stop.is_set():
            _exchange(kit, kit.parent / "swap")
            swaps[0] += 1

    racer = threading.Thread(target=swap, daemon=True)
    racer.start()
    leaked = 0
    try:
        for _ in range(1000):
            leaked += sum(time.startswith("2031") for time in _times_read(tmp_path / "homes"))
    finally:
        stop.set()
        racer.join()
    assert swaps[0] > 1000 and leaked == 0


def _times_read(root):
    """The record times the class report reads from ``root`` (its reading step alone: the rest of the report
    takes 0.2 s, a thousand times more)."""
    try:
        from lifecycle_kit.course.learner_files import collect_progress
    except ImportError:  # main before the fix: the files build_class_report found, then read
        from lifecycle_kit.course.class_report import find_progress_files

        try:
            files, _ = find_progress_files([root])
            return [str(t) for t in read_progress(files)["time"]]
        except (LifecycleKitError, OSError):
            return []
    return [item["time"] for item in collect_progress([root]).records]


def test_an_8_gib_sparse_file_is_read_only_up_to_the_cap(tmp_path):
    """Before: the whole file was read into memory (``read_bytes``), so an 8 GiB sparse file (a few KB on disk)
    made the root-run service raise MemoryError or take the machine's memory. Now at most 4 MiB of a file is
    read, a line at a time, and the report says the file was cut. Run in a process limited to 3 GiB of address
    space, so the old behaviour fails fast instead of swapping."""
    path = _write(_progress(tmp_path / "homes", "eve"), {**GOOD, "user": "eve"})
    with open(path, "r+b") as handle:
        handle.truncate(8 * 2**30)
    _write(_progress(tmp_path / "homes", "bob"), {**GOOD, "user": "bob"})
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        "from lifecycle_kit.cli import main\n"
        f"sys.exit(main(['class-report', {str(tmp_path / 'homes')!r}, '--output', {str(tmp_path / 'out')!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2 learner(s), 2 record(s)" in proc.stdout
    assert "8,589,934,592 bytes: only the first 4,194,304 were read" in proc.stdout


@pytest.mark.parametrize("line, problem", [
    ("[" * 100_000 + "]" * 100_000, "longer than 8000 bytes"),
    ("[" * 3000 + "]" * 3000, "nested too deeply"),
    (json.dumps({**GOOD, "attempt": 2**70}), "attempt must be a whole number from 1 to 1,000,000"),
    (json.dumps({**GOOD, "time": "2026-W09-1T10:00:00+00:00"}), "is not an ISO 8601 time"),
    (json.dumps({**GOOD, "time": "0001-01-01T00:00:00+00:00"}), "outside the years"),
    (json.dumps({**GOOD, "question": "\udc80"}), "lone surrogate"),
    (json.dumps({**GOOD, "user": "\ud800x"}), "lone surrogate"),
    ("\x00" * 20_000, "longer than 8000 bytes"),
])
def test_a_hostile_line_is_named_by_file_and_line_never_a_traceback(tmp_path, capsys, line, problem):
    """Before: 100,000 nested brackets raised RecursionError, ``attempt: 2**70`` OverflowError, an ISO week date
    a pandas ValueError and a lone surrogate UnicodeEncodeError when the report was written — tracebacks naming
    no file or line. Now the learner's own reader names the file and line; the class report lists it and goes on."""
    path = _write(_progress(tmp_path, "ada"), GOOD, line, {**GOOD, "attempt": 2})
    with pytest.raises(LifecycleKitError, match=rf"{path}, line 2: .*{problem}"):
        read_progress(path)
    assert main(["progress", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}, line 2: ") and err.count("\n") == 1
    report = build_class_report([tmp_path])
    assert len(report.records) == 2
    (what,) = report.problem_frame().loc[lambda f: f["line"] == 2, "problem"]
    assert problem in what
    assert main(["class-report", str(tmp_path), "--output", str(tmp_path / "out")]) == 0
    from lifecycle_kit.course.summary import notebook_questions

    rows = (tmp_path / "out" / "class-report.csv").read_text(encoding="utf-8").count("\nada,")
    assert rows == len(notebook_questions())  # one per notebook of the course (and test form)


def test_one_damaged_file_never_stops_the_class_report(tmp_path, capsys):
    """Before: one damaged line anywhere stopped the whole report (exit 2), so on the hub one learner's
    hand-edited file left the instructor with no report for anybody. Now the line is listed and the rest read."""
    _write(_progress(tmp_path, "ada"), GOOD)
    _write(_progress(tmp_path, "eve"), "not json", {**GOOD, "user": "eve"})
    assert main(["class-report", str(tmp_path), "--output", str(tmp_path / "out")]) == 0
    assert "2 learner(s), 2 record(s)" in capsys.readouterr().out


# --- medium: CSV formula injection -----------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_no_csv_cell_starts_a_formula(tmp_path):
    """Before: learner, notebook and question names starting with ``=``, ``+``, ``-`` or ``@`` were written to
    the CSV as they were, and a spreadsheet ran them (``=HYPERLINK(...)`` sends data away, DDE starts programs).
    Now every text cell of every CSV the report writes is neutralised as OWASP recommends (a leading ``'``)."""
    import csv
    import io

    for payload in PAYLOADS:
        name = _folder_name(payload)
        _write(_progress(tmp_path, name), {**GOOD, "user": name}, {**GOOD, "user": name, "notebook": payload},
               {**GOOD, "user": payload, "question": payload})
    report = build_class_report([tmp_path])
    tables = report.tables() if hasattr(report, "tables") else {"learners": None}
    written = [report.to_csv(table=name) if hasattr(report, "tables") else report.to_csv() for name in tables]
    assert main(["class-report", str(tmp_path), "--output", str(tmp_path / "out")]) == 0
    written.append((tmp_path / "out" / "class-report.csv").read_text(encoding="utf-8"))
    cells = [cell for text in written for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert len(cells) > 1000
    for cell in cells:
        assert not cell.startswith(FORMULA_START) and "\x1b" not in cell, cell
    learners = {row["learner"] for row in csv.DictReader(io.StringIO(written[0], newline=""))}
    assert "'=HYPERLINK(\"http:\u2215\u2215127.0.0.1:9\u2215h\",\"x\")" in learners and "'-2+3" in learners


def test_numbers_stay_numbers_in_the_csv():
    """Neutralising text must not turn a negative number into text."""
    import pandas as pd

    from lifecycle_kit.course.report_output import csv_text

    text = csv_text(pd.DataFrame({"delta": [-0.5, 2.0], "name": ["-x", "y"], "n": [-3, 4]}))
    assert text == "delta,name,n\n-0.5,'-x,-3\n2.0,y,4\n"


# --- low: writing through a link ---------------------------------------------------------------------------------------

def test_the_report_files_replace_a_link_instead_of_writing_through_it(tmp_path):
    """Before: ``class-report.csv`` and ``class-report.html`` were opened by name and written, so a link planted
    in the output folder made the report overwrite the file it pointed to. Now each file is written beside and
    renamed over the name: the link is replaced, its target untouched."""
    _write(_progress(tmp_path / "homes", "ada"), GOOD)
    out = tmp_path / "out"
    out.mkdir()
    victims = {}
    for name in ("class-report.csv", "class-report.html"):
        victim = tmp_path / f"victim-{name}"
        victim.write_text("precious\n")
        (out / name).symlink_to(victim)
        victims[name] = victim
    assert main(["class-report", str(tmp_path / "homes"), "--output", str(out)]) == 0
    for name, victim in victims.items():
        assert victim.read_text() == "precious\n"
        assert stat.S_ISREG(os.lstat(out / name).st_mode)
    assert (out / "class-report.csv").read_text().startswith("learner,stage,notebook")
