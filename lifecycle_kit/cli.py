"""The ``lifecycle-kit`` command.

Exit status: 0 success, 1 a check failed (named on stdout), 2 bad input with
one line ``error: ...`` on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Sequence

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    available_languages,
    decimal_separator,
    get_language,
    language,
    ngettext,
    normalise_language,
)

__all__ = ["main"]


class UsageError(Exception):
    """Bad command-line usage; reported as one line, exit 2."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, its "usage:" said in the chosen language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix=_("usage: ") if prefix is None else prefix)


# argparse writes its own messages in English (its gettext domain has no catalog here): the ones a learner meets,
# matched on the formatted text and said in the chosen language; any other stays as argparse wrote it.
_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (?P<names>.*)"),
     lambda m: _("the following arguments are required: {names}", names=m["names"])),
    (re.compile(r"unrecognized arguments: (?P<items>.*)"),
     lambda m: _("unrecognized arguments: {items}", items=m["items"])),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
     lambda m: _("argument {name}: invalid choice: {value} (choose from {choices})", name=m["name"],
                 value=m["value"], choices=m["choices"])),
    (re.compile(r"argument (?P<name>\S+): expected one argument"),
     lambda m: _("argument {name}: expected one argument", name=m["name"])),
    (re.compile(r"argument (?P<name>\S+): invalid (?P<kind>\w+) value: (?P<value>.*)"),
     lambda m: _("argument {name}: invalid {kind} value: {value}", name=m["name"], kind=m["kind"],
                 value=m["value"])),
]


def _argparse_message(message):
    """argparse's error ``message`` in the chosen language, where it is one of the common ones."""
    for pattern, say in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return say(match)
    return message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        # argparse names its groups and its -h option in English: say them in the chosen language.
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = _("show this help message and exit")

    def error(self, message):
        raise UsageError(_argparse_message(message))


def _cmd_datasets(args):
    from lifecycle_kit.datasets import list_datasets

    table = list_datasets()
    if args.json:
        print(table.to_json(orient="records", indent=2))
    else:
        print(table[["name", "rows", "columns", "task", "licence"]].to_string(index=False))
    return 0


def _cmd_doctor(args):
    from lifecycle_kit.doctor import doctor_summary, run_checks

    checks = run_checks()
    width = max(len(c.name) for c in checks)
    marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
    for c in checks:
        print(f"{marks[c.status]}  {c.name:<{width}}  {c.detail}")
    print(f"\n{doctor_summary(checks)}")
    return 1 if any(c.status == "fail" for c in checks) else 0


def _edition_note(lang, found):
    """A line saying that the edition in ``lang`` is missing and the English one opens instead."""
    if found or lang == DEFAULT_LANGUAGE:
        return None
    return _("note: the course has no notebook in this language yet ({code}); the English one opens instead",
             code=lang)


def _cmd_lab(args):
    import os
    import tempfile

    from lifecycle_kit.course.launch import (
        ANNOUNCEMENTS_PLUGIN,
        default_app_settings_dir,
        jupyter_lab_command,
        jupyterlab_locale,
        lab_settings_dir,
        prepare_course,
        start_notebook,
    )

    lang = get_language(args.lang)
    if args.copy_only:
        # Always a copy (a checkout's notebooks are not used in place): an instructor prepares a folder to hand out.
        root = prepare_course(args.dir or "lifecycle-kit-course", solutions=args.with_solutions)
        print(_("Copied the course to {root}. Open it with: lifecycle-kit lab --dir {root}", root=root))
        return 0
    root = prepare_course(args.dir, solutions=args.with_solutions)
    start, found = start_notebook(root, lang)
    notes = [_edition_note(lang, found)]
    locale = jupyterlab_locale(lang)
    if lang != DEFAULT_LANGUAGE and locale is None:
        notes.append(_("note: JupyterLab's language pack for {code} is not installed, so its menus stay in English "
                       "(pip install jupyterlab-language-pack-{code}-{code})", code=lang))
    # Idempotent; keeps the "Jupyter news" popup from covering the course on first start.
    subprocess.run([sys.executable, "-m", "jupyter", "labextension", "disable", ANNOUNCEMENTS_PLUGIN],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A new, empty workspaces folder each start: the layout opens reset, on the start-here notebook.
    # It is removed when JupyterLab stops, so starts do not pile up folders in the temporary directory.
    # The language of JupyterLab's interface is a settings override in a settings folder made for this start.
    with tempfile.TemporaryDirectory(prefix="lifecycle-kit-workspace-") as scratch:
        workspaces = os.path.join(scratch, "workspaces")
        os.mkdir(workspaces)
        settings = None
        if locale is not None:
            settings = lab_settings_dir(os.path.join(scratch, "settings"), locale=locale,
                                        source=default_app_settings_dir())
        command = jupyter_lab_command(root, port=args.port, open_browser=not args.no_browser,
                                      workspaces_dir=workspaces, start=start, app_settings_dir=settings)
        for note in filter(None, notes):
            print(note, file=sys.stderr)
        if args.print_command:
            print(" ".join(command))
            return 0
        print(_("Starting JupyterLab on {root} (127.0.0.1, token authentication). Stop with Ctrl+C.", root=root),
              flush=True)
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0


def _parse_thresholds(items):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(_("--threshold expects ID=VALUE (e.g. Com-ML-1=0.9); got '{item}'", item=item))
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise UsageError(_("--threshold {key}: '{value}' is not a number", key=key, value=value)) from None
    return out


LARGE_INPUT_BYTES = 50 * 2**20


def _steps(paths, names):
    """A bar over named steps, on stderr, for inputs of 50 MB or more (see lifecycle_kit._progress_bar)."""
    from lifecycle_kit._progress_bar import progress_bar

    size = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    bar = progress_bar(total=len(names), unit="step", progress="auto" if size >= LARGE_INPUT_BYTES else False)

    def advance(done=None):
        if done is not None:
            bar.update()
        if bar.n < len(names):
            bar.set_description(names[bar.n])
        else:
            bar.close()

    advance()
    return advance


FORMATS = ("text", "json", "markdown", "html")


def _emit(document, fmt):
    """Print a machine-readable document (JSON dict, Markdown or HTML text) on stdout."""
    import json

    if fmt == "json":
        print(json.dumps(document, indent=2, allow_nan=False, ensure_ascii=False))
    else:
        sys.stdout.write(document if document.endswith("\n") else document + "\n")


def _note(args, text):
    """A progress line: on stdout in text format, on stderr otherwise (stdout then holds only the document)."""
    print(text, file=sys.stdout if args.format == "text" else sys.stderr)


def _reading_options(args):
    """The reading options of the command line (see _add_reading_options), for lifecycle_kit.tables.read_tables."""
    return {"encoding": args.encoding, "delimiter": args.delimiter, "decimal": args.decimal,
            "thousands": args.thousands, "sheet": args.sheet}


def _sources(tables):
    """Lines saying how each table was read and what was noticed, in the reader's language."""
    lines = []
    for table in tables:
        lines.append(_("{file}: {how}", file=table.path, how=table.describe()))
        lines += [_("{file}: {note}", file=table.path, note=_(note)) for note in table.notes]
    return lines


def _print_sources(tables):
    for table in tables:
        _print(_("read {file}: {how}", file=table.path, how=table.describe()))
        for note in table.notes:
            _print("  " + _("note: {note}", note=_(note)))


def _cmd_check(args):
    from lifecycle_kit._html import text_table
    from lifecycle_kit.quality import DataSpec, QualityGate, assess
    from lifecycle_kit.quality.gate import DEFAULT_GATE
    from lifecycle_kit.quality.measures import _shown_names
    from lifecycle_kit.tables import read_table

    step = _steps([args.file], [_("reading"), _("assessing")])
    table = read_table(args.file, **_reading_options(args))
    step("read")
    frame = table.frame
    if args.target is not None and args.target not in frame.columns:
        raise LifecycleKitError(_("--target '{target}' is not a column of {file}; columns: {columns}",
                                  target=args.target, file=args.file, columns=", ".join(map(str, frame.columns))))
    spec = DataSpec.load(args.spec) if args.spec else None
    thresholds = _parse_thresholds(args.threshold)
    # The measures write their details in the language in use; the JSON document is for programs, the same in every
    # language, so it is assessed in English.
    with language(DEFAULT_LANGUAGE if args.format == "json" else None):
        report = assess(frame, spec=spec, target=args.target, thresholds=thresholds)
    step("assessed")
    gate_result = QualityGate(thresholds or DEFAULT_GATE).check(report) if args.gate else None
    sources = _sources([table])
    if args.html:
        report.to_html(args.html, sources=sources)
    if args.format != "text":
        if args.html:
            _note(args, _("HTML report written to {path}", path=args.html))
        if args.format == "json":
            document = report.to_dict() | {"file": str(args.file), "reading": table.reading()}
            if gate_result is not None:
                document["gate"] = gate_result.to_dict()
        elif args.format == "markdown":
            document = report.to_markdown(sources=sources)
            if gate_result is not None:
                document += ("\n## " + _("Gate") + "\n\n"
                             + (_("passed") + "\n" if gate_result.passed else
                                _("FAILED:") + "\n\n" + "".join("- " + _(r) + "\n" for r in gate_result.reasons)))
        else:
            document = report.to_html(title=_("Data quality report: {file}", file=args.file), sources=sources)
        _emit(document, args.format)
        return 1 if gate_result is not None and not gate_result.passed else 0
    # The counts of the JSON and HTML documents: the columns are the features, the target named beside them.
    target = _(" and the target '{name}'", name=args.target) if args.target else ""
    _print(_("{file}: {rows:,} rows x {columns} columns", file=args.file, rows=report.rows, columns=report.columns)
           + target + "; " + _("specification: {spec}", spec=report.spec_source))
    _print_sources([table])
    summary = report.summary()
    summary["value"] = summary["value"].map(lambda v: _decimal(f"{v:.3f}"))
    summary["threshold"] = summary["threshold"].map(lambda v: _decimal(f"{v:.2f}"))
    summary["passed"] = summary["passed"].map({True: _("yes"), False: _("NO")})
    summary = _shown_names(summary)  # measure names in the reader's language
    _print("")
    _print(text_table(summary[["measure_id", "measure", "value", "threshold", "passed", "detail"]], headings=True,
                      max_colwidth=90))
    missing = report.missing[report.missing["total"] > 0]
    if len(missing):
        _print("\n" + _("missing values (NaN and disguised tokens):"))
        _print(text_table(missing, headings=True, floatfmt="{:.3f}"))
    for v in report.violations:
        _print(_("violation: {violation}", violation=v))
    if args.html:
        _print("\n" + _("HTML report written to {path}", path=args.html))
    if gate_result is not None:
        if gate_result.passed:
            _print("\n" + _("gate passed ({measures})", measures=", ".join(thresholds or DEFAULT_GATE)))
            return 0
        _print("\n" + _("gate FAILED:"))
        for reason in gate_result.reasons:
            _print("  - " + _(reason))
        return 1
    return 0


def _cmd_drift(args):
    from lifecycle_kit._html import text_table
    from lifecycle_kit.drift import compare
    from lifecycle_kit.tables import read_tables

    step = _steps([args.reference, args.current], [_("reading"), _("comparing")])
    tables = read_tables([args.reference, args.current], **_reading_options(args))
    reference, current = (t.frame for t in tables)
    step("read")
    shared = [c for c in reference.columns if c in current.columns]
    only_ref = [str(c) for c in reference.columns if c not in current.columns]
    only_cur = [str(c) for c in current.columns if c not in reference.columns]
    if args.columns:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    else:
        if only_ref or only_cur:
            raise LifecycleKitError(
                _("the files have different columns")
                + (_("; only in {file}: {columns}", file=args.reference, columns=", ".join(only_ref)) if only_ref else "")
                + (_("; only in {file}: {columns}", file=args.current, columns=", ".join(only_cur)) if only_cur else "")
                + _(" (use --columns to compare the shared ones)"))
        columns = shared
    # As for check: the JSON document is the same in every language.
    with language(DEFAULT_LANGUAGE if args.format == "json" else None):
        report = compare(reference, current, columns=columns, method=args.method, correction=args.correction)
    step("compared")
    status = 1 if report.drifted_columns else 0
    sources = _sources(tables)
    if args.format != "text":
        if args.html:
            report.to_html(args.html, sources=sources)
            _note(args, _("HTML report written to {path}", path=args.html))
        if args.format == "json":
            document = report.to_dict() | {"reference": str(args.reference), "current": str(args.current),
                                           "reading": {"reference": tables[0].reading(), "current": tables[1].reading()}}
        elif args.format == "markdown":
            document = report.to_markdown(sources=sources)
        else:
            document = report.to_html(title=_("Data drift report: {reference} -> {current}",
                                              reference=args.reference, current=args.current), sources=sources)
        _emit(document, args.format)
        return status
    _print(_("{reference} ({reference_rows:,} rows) -> {current} ({current_rows:,} rows): {summary}",
             reference=args.reference, reference_rows=len(reference), current=args.current,
             current_rows=len(current), summary=report.summary()))
    _print_sources(tables)
    table = report.to_frame(details=True)
    table["statistic"] = table["statistic"].map(lambda v: _decimal(f"{v:.4g}"))
    table["p_value"] = table["p_value"].map(lambda v: "" if v != v else _decimal(f"{v:.3g}"))
    table["severity"] = table["severity"].map(lambda v: _decimal(f"{v:.2f}"))
    table["threshold"] = table["threshold"].map(lambda v: _decimal(f"{v:g}"))
    _print("")
    _print(text_table(table[["column", "kind", "test", "statistic", "p_value", "threshold", "drifted", "severity",
                             "explanation"]], headings=True, max_colwidth=70))
    for note in report.notes:
        _print(_("note: {note}", note=note))
    if args.html:
        report.to_html(args.html, sources=sources)
        _print(_("HTML report written to {path}", path=args.html))
    return status


def _read_text(path, what):
    from pathlib import Path

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise LifecycleKitError(_("{what} {path}: no such file", what=what, path=path)) from None
    except IsADirectoryError:
        raise LifecycleKitError(_("{what} {path}: is a folder, not a file", what=what, path=path)) from None


def _exists_message(path):
    return _("{path} exists; use --force to replace it (a link there is removed, never written through)", path=path)


def _create_file(path, content, mode, *, force):
    """Create ``path`` with ``mode`` from the first byte (never world-readable for an instant), never through a link.

    O_EXCL refuses any existing name, a dangling link included; with ``force`` an
    existing file or link is removed first (a link, not what it points to).
    """
    import os
    import stat

    if force:
        try:
            if stat.S_ISDIR(os.lstat(path).st_mode):
                raise LifecycleKitError(_("{path} is a folder; not replaced", path=path))
            os.unlink(path)
        except FileNotFoundError:
            pass
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise LifecycleKitError(_exists_message(path)) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def _cmd_keygen(args):
    import getpass
    import os
    from pathlib import Path

    from lifecycle_kit.integrity import generate_keypair

    private_path, public_path = Path(f"{args.out}.key"), Path(f"{args.out}.pub")
    for path in (private_path, public_path):
        if os.path.lexists(path) and not args.force:
            raise LifecycleKitError(_exists_message(path))
    passphrase = None
    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env)
        if not passphrase:
            raise LifecycleKitError(_("environment variable {name} is empty or not set", name=args.passphrase_env))
    elif args.passphrase:
        passphrase = getpass.getpass(_("passphrase for the private key: "))
    private, public = generate_keypair(passphrase=passphrase)
    _create_file(private_path, private, 0o600, force=args.force)
    _create_file(public_path, public, 0o644, force=args.force)
    if passphrase:
        print(_("private key: {path} (keep it away from the data), encrypted", path=private_path))
    else:
        print(_("private key: {path} (keep it away from the data)", path=private_path))
    print(_("public key:  {path} (give it to whoever verifies)", path=public_path))
    return 0


def _cmd_manifest(args):
    from pathlib import Path

    from lifecycle_kit.integrity import Manifest, build_manifest, verify_manifest

    folder = Path(args.folder)
    if not folder.is_dir():
        raise LifecycleKitError(_("{folder}: not a folder", folder=folder))
    if args.action == "create":
        out = Path(args.output) if args.output else folder / "MANIFEST.json"
        inside = out.parent.resolve() == folder.resolve()
        # The manifest and its signature live beside the data but are not part of it.
        manifest = build_manifest(folder, exclude=(out.name, f"{out.name}.sig") if inside else ())
        manifest.save(out)
        print(ngettext("{path}: {n} file, {size:,} bytes recorded", "{path}: {n} files, {size:,} bytes recorded",
                       len(manifest.files), path=out, size=manifest.total_bytes))
        return 0
    if not args.manifest:
        raise LifecycleKitError(_("manifest verify needs the manifest file: lifecycle-kit manifest verify DIR MANIFEST"))
    manifest = Manifest.load(args.manifest)
    result = verify_manifest(folder, manifest)
    if result.ok:
        print(ngettext("ok: {n} file matches {manifest}", "ok: {n} files match {manifest}", len(manifest.files),
                       manifest=args.manifest))
        return 0
    print(_("FAILED: {summary}", summary=result.summary()))
    return 1


def _cmd_sign(args):
    import getpass
    import os
    from pathlib import Path

    from lifecycle_kit._fs import replace_text
    from lifecycle_kit.integrity import Manifest, sign

    manifest = Manifest.load(args.manifest)
    key = _read_text(args.key, _("key"))
    passphrase = os.environ.get(args.passphrase_env) if args.passphrase_env else None
    if b"ENCRYPTED" in key and passphrase is None:
        if args.passphrase_env:
            raise LifecycleKitError(_("environment variable {name} is empty or not set", name=args.passphrase_env))
        # getpass falls back to reading stdin (with a warning) when there is no terminal: a script would hang.
        if not sys.stdin.isatty():
            raise LifecycleKitError(_("{key} is encrypted and there is no terminal to ask for its passphrase; "
                                      "give it with --passphrase-env VARIABLE", key=args.key))
        passphrase = getpass.getpass(_("passphrase for the private key: "))
    signature = sign(manifest, key, passphrase=passphrase)
    out = Path(args.output or f"{args.manifest}.sig")
    replace_text(out, signature + "\n")  # a link at OUT is replaced, never written through
    print(_("signature written to {path}", path=out))
    return 0


def _cmd_verify(args):
    from lifecycle_kit.integrity import Manifest, verify_signature

    if args.signature is None:  # one file: a signed certificate or badge (lifecycle-kit certificate)
        return _verify_credential(args)
    manifest = Manifest.load(args.manifest)
    signature = _read_text(args.signature, _("signature")).decode("ascii", errors="replace").strip()
    public = _read_text(args.pub, _("public key"))
    if verify_signature(manifest, signature, public):
        print(_("ok: {manifest} is signed by the holder of {key}", manifest=args.manifest, key=args.pub))
        return 0
    print(_("FAILED: the signature does not match {manifest} and {key} "
            "(the manifest was changed, or it was signed with another key)", manifest=args.manifest, key=args.pub))
    return 1


def _cmd_report(args):
    from lifecycle_kit.report import build_report_from_files

    # As for check: the JSON document is the same in every language.
    with language(DEFAULT_LANGUAGE if args.format == "json" else None):
        report = build_report_from_files(args.data, target=args.target, reference_path=args.reference,
                                         spec_path=args.spec, manifest_folder=args.manifest_dir,
                                         manifest_path=args.manifest, title=args.title,
                                         read=_reading_options(args))
    if args.html:
        report.to_html(args.html)
        _note(args, ngettext("HTML report: {path} ({n} section)", "HTML report: {path} ({n} sections)",
                             len(report.sections), path=args.html))
    if args.markdown:
        report.to_markdown(args.markdown)
        _note(args, _("Markdown report: {path}", path=args.markdown))
    if args.format == "json":
        _emit(report.to_dict(), "json")
    elif args.format == "markdown":
        _emit(report.to_markdown(), "markdown")
    elif args.format == "html":
        _emit(report.to_html(), "html")
    elif not args.html and not args.markdown:
        _print(report.to_text())
    return 0


def _cmd_present(args):
    import importlib.util

    from lifecycle_kit.course.launch import find_notebook, voila_command, voila_environment

    lang = get_language(args.lang)
    notebook = find_notebook(args.notebook, lang=lang)
    note = _edition_note(lang, notebook.parent.name == lang)
    if note:
        print(note, file=sys.stderr)
    # The page's language is the edition's: an English notebook shown with --lang ru (no Russian edition of it)
    # is English text around Russian labs, and each lab says its own language.
    command = voila_command(notebook, port=args.port, open_browser=not args.no_browser,
                            lang=lang if notebook.parent.name == lang else "en")
    if args.print_command:
        print(" ".join(command))
        return 0
    if importlib.util.find_spec("voila") is None:
        raise LifecycleKitError(_("app mode needs Voila, which is not installed; install the kit's `present` extra: "
                                  "pip install \"lifecycle-kit[present]\""))
    print(_("Presenting {notebook} with Voila on 127.0.0.1 (code hidden, token authentication: open the "
            "URL with ?token= that Voila prints below). Stop with Ctrl+C.", notebook=notebook.name), flush=True)
    try:
        return subprocess.call(command, env=voila_environment(lang=lang))
    except KeyboardInterrupt:
        return 0


def build_parser():
    parser = _Parser(prog="lifecycle-kit", description=_("Lifecycle Kit: data quality and integrity across the AI data life cycle."))
    from lifecycle_kit import __version__

    parser.add_argument("--version", action="version", version=f"lifecycle-kit {__version__}",
                        help=_("show program's version number and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("datasets", help=_("list the open datasets carried with the kit"))
    p.add_argument("--json", action="store_true", help=_("print the full registry as JSON"))
    p.set_defaults(func=_cmd_datasets)

    p = sub.add_parser("doctor", help=_("check the environment: versions, data integrity, Jupyter, browser"))
    p.set_defaults(func=_cmd_doctor)

    p = sub.add_parser("lab", help=_("open the course in JupyterLab (127.0.0.1, token)"))
    p.add_argument("--dir", help=_("copy the notebooks here first (default: use them in place in a checkout)"))
    p.add_argument("--port", type=int, help=_("port to listen on (default: JupyterLab's choice)"))
    p.add_argument("--no-browser", action="store_true", help=_("do not open a browser"))
    p.add_argument("--with-solutions", action="store_true",
                   help=_("copy the solutions notebooks too (solutions/: every code exercise filled in)"))
    p.add_argument("--copy-only", action="store_true",
                   help=_("copy the course (to --dir, default ./lifecycle-kit-course) and exit without starting "
                          "JupyterLab"))
    p.add_argument("--print-command", action="store_true", help=_("print the jupyter command instead of running it"))
    p.set_defaults(func=_cmd_lab)

    p = sub.add_parser("check", help=_("assess the quality of a table: CSV (also .gz, .bz2, .xz, .zip), Parquet, .xlsx "
                       "(ISO/IEC 5259-2 measures)"))
    p.add_argument("file", help=_("the table to check"))
    p.add_argument("--spec", help=_("a data specification (JSON written by DataSpec.save)"))
    p.add_argument("--target", help=_("the label column"))
    p.add_argument("--html", help=_("also write a self-contained HTML report here"))
    p.add_argument("--gate", action="store_true", help=_("exit 1 when the quality gate fails"))
    p.add_argument("--format", default="text", choices=FORMATS,
                   help=_("what stdout holds: text (default), or the report as json, markdown or html"))
    p.add_argument("--json", dest="format", action="store_const", const="json", help=_("the same as --format json"))
    p.add_argument("--threshold", action="append", metavar="ID=VALUE", help=_("override a threshold (repeatable)"))
    _add_reading_options(p)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("drift", help=_("compare a current table with a reference: which columns drifted"))
    p.add_argument("reference", help=_("the reference table (CSV or Parquet)"))
    p.add_argument("current", help=_("the current table"))
    p.add_argument("--method", default="auto", choices=DRIFT_METHODS, help=_("test for every column (default: auto)"))
    p.add_argument("--correction", default=None, choices=DRIFT_CORRECTIONS,
                   help=_("multiple-testing correction of the p-values"))
    p.add_argument("--columns", help=_("comma-separated columns to compare (default: all; the files must match)"))
    p.add_argument("--html", help=_("also write a self-contained HTML report here"))
    p.add_argument("--format", default="text", choices=FORMATS,
                   help=_("what stdout holds: text (default), or the report as json, markdown or html"))
    p.add_argument("--json", dest="format", action="store_const", const="json", help=_("the same as --format json"))
    _add_reading_options(p)
    p.set_defaults(func=_cmd_drift)

    p = sub.add_parser("keygen", help=_("create an Ed25519 key pair (OUT.key, OUT.pub)"))
    p.add_argument("--out", default="lifecycle-kit", help=_("file name stem (default: lifecycle-kit)"))
    p.add_argument("--passphrase", action="store_true", help=_("encrypt the private key (asks for a passphrase)"))
    p.add_argument("--passphrase-env", help=_("read the passphrase from this environment variable"))
    p.add_argument("--force", action="store_true", help=_("overwrite existing key files"))
    p.set_defaults(func=_cmd_keygen)

    p = sub.add_parser("manifest", help=_("record (create) or check (verify) the SHA-256 of every file in a folder"))
    p.add_argument("action", choices=["create", "verify"])
    p.add_argument("folder")
    p.add_argument("manifest", nargs="?", help=_("manifest file (verify)"))
    p.add_argument("--output", help=_("where create writes the manifest (default: FOLDER/MANIFEST.json)"))
    p.set_defaults(func=_cmd_manifest)

    p = sub.add_parser("sign", help=_("sign a manifest with an Ed25519 private key"))
    p.add_argument("manifest")
    p.add_argument("--key", required=True, help=_("PEM private key"))
    p.add_argument("--passphrase-env", help=_("environment variable holding the key's passphrase"))
    p.add_argument("--output", help=_("signature file (default: MANIFEST.sig)"))
    p.set_defaults(func=_cmd_sign)

    p = sub.add_parser("verify", help=_("check a manifest's signature, or a certificate, with the signer's public key"))
    p.add_argument("manifest", help=_("the manifest, or a certificate or badge written by lifecycle-kit certificate"))
    p.add_argument("signature", nargs="?", help=_("the manifest's signature file (not given for a certificate)"))
    p.add_argument("--pub", required=True, help=_("PEM public key of the signer"))
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("report", help=_("a lifecycle report (HTML, Markdown) of a table: quality, spec, drift, integrity"))
    p.add_argument("data", help=_("the table (CSV or Parquet)"))
    p.add_argument("--target", help=_("the label column"))
    p.add_argument("--reference", help=_("reference table: spec inferred from it and drift measured against it"))
    p.add_argument("--spec", help=_("data specification (JSON)"))
    p.add_argument("--manifest-dir", help=_("folder whose files the manifest records"))
    p.add_argument("--manifest", help=_("manifest of that folder"))
    p.add_argument("--title", help=_("report title"))
    p.add_argument("--html", help=_("write the self-contained HTML report here"))
    p.add_argument("--markdown", help=_("write the Markdown report here"))
    p.add_argument("--format", default="text", choices=FORMATS,
                   help=_("what stdout holds: text (default: the report as text, or a line per file written with "
                          "--html or --markdown), or the report as json, markdown or html"))
    p.add_argument("--json", dest="format", action="store_const", const="json", help=_("the same as --format json"))
    _add_reading_options(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("present", help=_("serve a stage notebook's labs with Voila (app mode, code hidden)"))
    p.add_argument("notebook", help=_("notebook number (04) or file name"))
    p.add_argument("--port", type=int, default=8866, help=_("port (default 8866)"))
    p.add_argument("--no-browser", action="store_true", help=_("do not open a browser"))
    p.add_argument("--print-command", action="store_true", help=_("print the voila command instead of running it"))
    p.set_defaults(func=_cmd_present)

    for register in _EXTRA_COMMANDS:
        register(sub)
    # --lang before the command (lifecycle-kit --lang ru check ...) and after it; after it, it is not reset to
    # the default when absent (SUPPRESS), so the one before it holds.
    language_help = _("language of the messages, and of the course for lab and present "
                      "(default: $LIFECYCLE_KIT_LANG, else English)")
    parser.add_argument("--lang", choices=available_languages(), default=None, help=language_help)
    for command in sub.choices.values():
        if any("--lang" in action.option_strings for action in command._actions):
            continue
        command.add_argument("--lang", choices=available_languages(), default=argparse.SUPPRESS, help=language_help)
    return parser


# `drift --method` and `--correction` choices, written out so that `--help` needs no pandas; a test keeps them equal
# to lifecycle_kit.drift.compare.METHODS and CORRECTIONS.
DRIFT_METHODS = ("auto", "ks", "cramer_von_mises", "chi2", "psi", "jensen_shannon", "wasserstein")
DRIFT_CORRECTIONS = ("bonferroni", "holm", "bh")


def _add_reading_options(parser):
    """The options of every command that reads a table: how the table is written, when detection is not enough."""
    group = parser.add_argument_group(_("reading the table (detected by default)"))
    group.add_argument("--encoding", help=_("force an encoding, e.g. cp1251, koi8-r, utf-16"))
    group.add_argument("--delimiter", help=_("force a one-character delimiter, \\t for tab"))
    group.add_argument("--decimal", choices=[".", ","], metavar="MARK",
                       help=_("force the decimal mark, '.' or ',' (a comma is detected where a column's numbers are "
                              "all written like 13,0)"))
    group.add_argument("--thousands", metavar="SEPARATOR",
                       help=_("force the separator of digit groups (1 234,5): space, nbsp, nnbsp, '.', ',', \"'\" "
                              "or none"))
    group.add_argument("--sheet", help=_("the sheet of an Excel workbook: its name or its number from 1 "
                                         "(default: the first)"))


# Other modules add their subcommands here (each a function taking the subparsers object).
_EXTRA_COMMANDS = []


def _cmd_progress(args):
    import json

    from lifecycle_kit.course.assessment import learner_assessment
    from lifecycle_kit.course.progress import SWITCH_VARIABLE, progress_file, read_progress, recording_enabled
    from lifecycle_kit.course.report_output import visible
    from lifecycle_kit.course.summary import summarise_progress

    path = args.file or progress_file()
    if args.file is None and not os.path.exists(path):
        records = read_progress([])  # nothing recorded yet: the course ahead, all at zero
    else:
        records = read_progress(path)
    summary = summarise_progress(records)
    enabled = recording_enabled()
    tests = learner_assessment(records)
    if args.json:
        print(json.dumps({"file": str(path), "records": len(records), "recording": enabled,
                          "stages": summary.to_dict(orient="records"),
                          "tests": _tests_document(tests)}, indent=2, allow_nan=False))
        return 0
    print(visible(_("Progress file: {path} ({records:,} record(s))", path=path, records=len(records))))
    if not enabled:
        print(_("Recording is off ({variable}={value}).", variable=SWITCH_VARIABLE,
                value=os.environ.get(SWITCH_VARIABLE)))
    table = summary.drop(columns="notebook").rename(columns={
        "answered_right": "right", "first_try_right": "right at first try"})
    table["stage"] = table["stage"].map(visible)  # a hand-edited notebook name must not drive the terminal
    print(table.to_string(index=False))
    questions, right = int(summary["questions"].sum()), int(summary["answered_right"].sum())
    print("\n" + _("{right} of {questions} questions answered right ({share:.0%}), {first_try} at the first try; "
                   "{revealed} solution(s) revealed.", right=right, questions=questions, share=right / questions,
                   first_try=int(summary["first_try_right"].sum()), revealed=int(summary["revealed"].sum())))
    for line in _tests_lines(tests):
        print(line)
    return 0


# A test form's status (lifecycle_kit.course.item_analysis), in words a reader's language has.
_STATUS_WORDS = {"not taken": N_("not taken"), "partial": N_("partial"), "skipped": N_("skipped"),
                 "complete": N_("complete")}


def _score_text(post):
    """A statement's post-test: "9 of 11", or its status in words."""
    if post["status"] == "complete":
        return _("{right} of {items}", right=post["right"], items=post["items"])
    return _(_STATUS_WORDS.get(post["status"], post["status"]))


def _form_text(form):
    """A test form's state for a learner: "7 of 11 (64%)", or why there is no score."""
    if form.status == "complete":
        return _("{right} of {items} right at the first answer ({share:.0%})", right=form.right, items=form.items,
                 share=form.score)
    if form.status == "skipped":
        return _("skipped")
    if form.status == "partial":
        return _("{answered} of {items} answered: no score until every item is answered", answered=form.answered,
                 items=form.items)
    return _("not taken yet")


def _tests_lines(tests):
    """The learner's pre- and post-test, gain and objectives to revisit, as lines for the terminal."""
    import math

    lines = ["", _("Pre-test: {state}", state=_form_text(tests.pre)),
             _("Post-test (notebook 12): {state}", state=_form_text(tests.post))]
    if not math.isnan(tests.gain):
        lines.append(_("Normalised gain: {gain:.2f} (the share of what you could still gain that you gained)",
                       gain=tests.gain))
    elif tests.pre.status == "complete" and tests.post.status == "complete":
        lines.append(_("Normalised gain: undefined (a perfect pre-test leaves nothing to gain)"))
    if tests.sealed:
        lines.append(_("The explanations of both tests open once you have done the post-test."))
    if len(tests.revisit):
        lines.append(_("Objectives to revisit:"))
        lines += [f"  {nb[:2]}: " + _(text) for nb, text in zip(tests.revisit["notebook"], tests.revisit["text"])]
    return lines


def _tests_document(tests):
    """The learner's tests for ``progress --json`` (NaN as null)."""
    import math

    def form(state):
        return {"status": state.status, "items": state.items, "answered": state.answered, "right": state.right,
                "score": None if math.isnan(state.score) else state.score}

    return {"pre_test": form(tests.pre), "post_test": form(tests.post),
            "normalized_gain": None if math.isnan(tests.gain) else tests.gain, "sealed": tests.sealed,
            "revisit": tests.revisit.to_dict(orient="records")}


def _cmd_class_report(args):
    from pathlib import Path

    from lifecycle_kit.course.class_report import build_class_report
    from lifecycle_kit.course.report_output import visible

    named = list(args.learner or [])
    if args.learners_file:
        import json

        try:
            mapping = json.loads(Path(args.learners_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise LifecycleKitError(_("--learners-file {path}: cannot be read as JSON ({error})",
                                      path=args.learners_file, error=err)) from None
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise LifecycleKitError(_("--learners-file {path}: expected a JSON object of learner names and homes",
                                      path=args.learners_file))
        named += list(mapping.items())
    learners = {}
    for name, home in named:
        if not name or name in learners:
            raise LifecycleKitError(_("--learner {name}: each learner is named once, with a non-empty name",
                                      name=visible(name)))
        learners[name] = home
    if not args.paths and not learners:
        raise UsageError(_("name a folder of learners' homes, progress files, or --learner NAME HOME"))
    report = build_class_report(args.paths, learners=learners)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LifecycleKitError(_("--output {path}: exists and is not a folder", path=out))
    out.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = out / "class-report.html", out / "class-report.csv"
    items_path = out / "class-report-items.csv"
    report.to_html(html_path)
    report.to_csv(csv_path)
    report.to_csv(items_path, table="items")
    for line in report.summary_lines():
        print(line)
    print(visible(f"HTML: {html_path}") + "\n" + visible(f"CSV:  {csv_path}") + "\n" + visible(f"CSV:  {items_path}"))
    return 0


def _add_progress_commands(sub):
    p = sub.add_parser("progress", help=_("your self-check progress per stage (answered right, first try, revealed)"))
    p.add_argument("--file", help=_("the progress file to read (default: yours, see `lifecycle_kit.progress`)"))
    p.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    p.set_defaults(func=_cmd_progress)

    p = sub.add_parser("class-report", help=_("the instructor's class report (HTML and CSV) from learners' progress files"))
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=_("folders of learners' homes (each folder in one is a learner's home, named by the folder), "
                          "or progress files (each counts for the folder holding it)"))
    p.add_argument("--learner", nargs=2, action="append", metavar=("NAME", "HOME"),
                   help=_("a learner's home (or progress file), named: the records in it count as NAME's "
                          "(repeat for each learner)"))
    p.add_argument("--learners-file", metavar="JSON",
                   help=_("learners' homes in a JSON object that maps each learner's name to their home folder (any "
                          "name, even one starting with a dash)"))
    p.add_argument("--output", required=True, metavar="DIR",
                   help=_("folder to write class-report.html, class-report.csv and class-report-items.csv into"))
    p.set_defaults(func=_cmd_class_report)


_EXTRA_COMMANDS.append(_add_progress_commands)


def _private_key_bytes(path, passphrase_env):
    """A PEM private key and its passphrase (from the environment, or asked on a terminal)."""
    import getpass

    key = _read_text(path, _("key"))
    passphrase = os.environ.get(passphrase_env) if passphrase_env else None
    if b"ENCRYPTED" in key and passphrase is None:
        if passphrase_env:
            raise LifecycleKitError(_("environment variable {name} is empty or not set", name=passphrase_env))
        if not sys.stdin.isatty():
            raise LifecycleKitError(_("{key} is encrypted and there is no terminal to ask for its passphrase; "
                                      "give it with --passphrase-env VARIABLE", key=path))
        passphrase = getpass.getpass(_("passphrase for the private key: "))
    return key, passphrase


def _cmd_certificate(args):
    import json

    from lifecycle_kit._fs import replace_text
    from lifecycle_kit.course.certificate import completion_statement, open_badge, sign_certificate
    from lifecycle_kit.course.progress import read_progress

    records = read_progress(args.progress)
    statement = completion_statement(records, learner_name=args.name, user=args.user, issued=args.date)
    key, passphrase = _private_key_bytes(args.key, args.passphrase_env)
    certificate = sign_certificate(statement, key, passphrase=passphrase)
    replace_text(args.output, json.dumps(certificate, indent=2, ensure_ascii=False) + "\n")
    score = _score_text(statement["post_test"])
    _print(_("certificate for {name}: {done} of {total} stages completed, post-test {score}; written to {path}",
             name=statement["learner"], done=len(statement["stages_completed"]), total=statement["stages_total"],
             score=score, path=args.output))
    if args.badge:
        badge = open_badge(statement, key, passphrase=passphrase, issuer_name=args.issuer)
        replace_text(args.badge, json.dumps(badge, indent=2, ensure_ascii=False) + "\n")
        _print(_("Open Badges 3.0 credential written to {path}", path=args.badge))
    return 0


def _verify_credential(args):
    import json

    from lifecycle_kit.course.certificate import CERTIFICATE_FORMAT, verify_certificate
    from lifecycle_kit.integrity.data_integrity import verify_document

    raw = _read_text(args.manifest, _("certificate"))
    public = _read_text(args.pub, _("public key"))
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise LifecycleKitError(_("{path}: not JSON; to verify a manifest, give its signature file too",
                                  path=args.manifest)) from None
    if isinstance(document, dict) and document.get("format") == CERTIFICATE_FORMAT:
        check = verify_certificate(document, public)
        if not check.ok:
            _print(_("FAILED: {path}: {reason}", path=args.manifest, reason=check.message))
            return 1
        statement = check.statement
        score = _score_text(statement["post_test"])
        _print(_("ok: {path} is signed by the holder of {key} (signed at {time}): {name}, {course} {version}, "
                 "{done} of {total} stages completed, post-test {score}, issued {issued}",
                 path=args.manifest, key=args.pub, time=check.signed_at, name=statement["learner"],
                 course=statement["course"], version=statement["course_version"],
                 done=len(statement["stages_completed"]), total=statement["stages_total"], score=score,
                 issued=statement["issued"]))
        return 0
    if isinstance(document, dict) and "proof" in document:
        ok, reason = verify_document(document, public)
        if ok:
            _print(_("ok: {path}: {reason}, by the holder of {key}", path=args.manifest, reason=reason, key=args.pub))
            return 0
        _print(_("FAILED: {path}: {reason}", path=args.manifest, reason=reason))
        return 1
    raise LifecycleKitError(_("{path} is neither a certificate nor a signed credential; to verify a manifest, give "
                              "its signature file too: lifecycle-kit verify MANIFEST SIGNATURE --pub KEY",
                              path=args.manifest))


def _add_certificate_commands(sub):
    p = sub.add_parser("certificate", help=_("sign a learner's completion statement (instructor): name, course, "
                                             "stages completed, post-test score, date"))
    p.add_argument("progress", metavar="PROGRESS", help=_("the learner's progress file (progress.jsonl)"))
    p.add_argument("--name", required=True, help=_("the learner's name, as it should appear on the statement"))
    p.add_argument("--key", required=True, help=_("the instructor's PEM private key (lifecycle-kit keygen)"))
    p.add_argument("--passphrase-env", help=_("environment variable holding the key's passphrase"))
    p.add_argument("--user", help=_("count only this login's records (default: every record in the file)"))
    p.add_argument("--date", help=_("the date of the statement, YYYY-MM-DD (default: today)"))
    p.add_argument("--output", default="certificate.json", help=_("where to write it (default: certificate.json)"))
    p.add_argument("--badge", metavar="FILE", help=_("also write an Open Badges 3.0 credential (JSON) here"))
    p.add_argument("--issuer", default="Lifecycle Kit instructor", help=_("the issuer's name on the badge"))
    p.set_defaults(func=_cmd_certificate)


_EXTRA_COMMANDS.append(_add_certificate_commands)



def _one_line(message):
    """The message with control characters shown as escapes, so a column name cannot drive the terminal.

    >>> _one_line("bad column '\\x1b[31mred'\\nnext")
    "bad column '\\\\x1b[31mred' next"
    """
    from lifecycle_kit.course.report_output import visible  # also bidirectional overrides, which reorder the line

    return visible(str(message).replace("\r\n", " ").replace("\n", " "))


def _decimal(text):
    """A number already formatted with a point, written with the chosen language's decimal separator."""
    return text.replace(".", decimal_separator())


def _print(text=""):
    """print() for lines that quote the user's data: control characters (terminal escapes) shown as ``\\xNN``."""
    print(re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", str(text)))


def _language_argument(argv):
    """The value of ``--lang`` anywhere in ``argv`` (read before the parser, whose help texts it translates)."""
    for i, item in enumerate(argv):
        if item == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if item.startswith("--lang="):
            return item.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``lifecycle-kit`` with ``argv`` (default: the command line); return the exit status.

    0: all good; 1: a check found something (a failed gate, drift); 2: bad
    input, reported as one line ``error: ...`` on standard error.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = _language_argument(argv)
    try:
        lang = normalise_language(chosen, where="--lang") if chosen else None
    except LifecycleKitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with language(lang):
        return _main(argv)


def _main(argv):
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            raise UsageError(_("a command is required; run `lifecycle-kit --help` to see them"))
        return args.func(args)
    except UsageError as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return 2
    except LifecycleKitError as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`lifecycle-kit check big.csv | head`): stop quietly, as
        # command-line tools do on SIGPIPE, instead of reporting it as bad input.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (OSError, UnicodeError) as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
