"""Translations: every phrase the kit shows is in the Russian catalog, the catalogs are consistent, and the
language is chosen in the documented order (lifecycle_kit/i18n.py).

When a test here fails after a phrase changed: run ``make i18n`` and translate the new entries of
lifecycle_kit/locale/<lang>/LC_MESSAGES/lifecycle_kit.po (then ``make i18n`` again to compile them).
"""

import functools
import gettext
import json
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from lifecycle_kit import i18n
from lifecycle_kit.cli import main
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion, parse_number
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, format_number, get_language, language, ngettext, set_language

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "lifecycle_kit" / "locale"
LANGUAGES = [p.name for p in sorted(LOCALE.iterdir()) if (p / "LC_MESSAGES" / "lifecycle_kit.po").is_file()]
# The same keywords as `make i18n` (Makefile, I18N_KEYWORDS).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def _po(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "lifecycle_kit.po", "rb") as handle:
        return read_po(handle)


@functools.cache
def extraction():
    """A fresh Babel extraction of the package, from the repository root and configured by babel.cfg as `make i18n`
    is: a tuple of (filename, line, msgid or (singular, plural), comments, context)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return tuple(extract_from_dir(str(ROOT), method_map=method_map, options_map=options_map, keywords=KEYWORDS))


@functools.cache
def _extracted():
    """{(context, msgid or (singular, plural)): first location} of :func:`extraction`."""
    found = {}
    for filename, lineno, message, _comments, context in extraction():
        found.setdefault((context, message), f"{filename}:{lineno}")
    return found


def _fields(text):
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


# Each test starts from the automatic choice, whatever the shell or a notebook says.
pytestmark = pytest.mark.usefixtures("automatic_language")


def test_the_russian_catalog_exists_and_is_an_available_language():
    assert "ru" in LANGUAGES
    assert i18n.available_languages() == ("en", *LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_phrase_of_the_package_is_translated(lang):
    extracted = _extracted()
    assert len(extracted) >= 100, "the extraction found too few phrases: is babel.cfg / KEYWORDS right?"
    catalog = _po(lang)
    problems = []
    for (context, message), where in sorted(extracted.items(), key=lambda item: item[1]):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid, context=context)
        if entry is None:
            problems.append(f"{where}: {msgid!r} is not in the {lang} catalog")
        elif entry.fuzzy or not all(entry.string if isinstance(entry.string, tuple) else [entry.string]):
            problems.append(f"{where}: {msgid!r} has no {lang} translation (or a fuzzy one)")
    assert not problems, "run `make i18n` and translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_obsolete_entries_linger_in_the_catalog(lang):
    extracted = {(context, m[0] if isinstance(m, tuple) else m) for context, m in _extracted()}
    stale = [m.id for m in _po(lang) if m.id and (m.context, m.id if isinstance(m.id, str) else m.id[0]) not in extracted]
    assert not stale, f"phrases no longer in the code (run `make i18n`): {stale}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_of_each_translation_match_the_english(lang):
    problems = []
    for entry in _po(lang):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        expected = set().union(*(_fields(i) for i in ids))
        if any(not name or name.isdigit() for name in expected):
            problems.append(f"{ids[0]!r}: use named placeholders ({{rate}}), not {{}} or {{0}}")
        if "lang" in expected:
            problems.append(f"{ids[0]!r}: 'lang' is the keyword that chooses the language; rename the placeholder")
        for form in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if _fields(form) != expected:
                problems.append(f"{ids[0]!r}: {form!r} has {sorted(_fields(form))}, expected {sorted(expected)}")
    assert not problems, "\n".join(problems)


def test_russian_translations_use_guillemets_not_straight_quotes():
    def text(value):
        return " ".join(value) if isinstance(value, tuple) else value

    straight = [(m.id, m.string) for m in _po("ru") if m.id and ("'" in text(m.string) or '"' in text(m.string))
                and not ("'" in text(m.id) or '"' in text(m.id))]
    assert not straight, straight
    quoted = [m for m in _po("ru") if m.id and isinstance(m.id, str) and "'{" in m.id]
    assert quoted and all("«{" in m.string for m in quoted), [(m.id, m.string) for m in quoted if "«{" not in m.string]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalog_is_in_sync_with_the_po(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "lifecycle_kit.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in _po(lang):
        if not entry.id or entry.fuzzy:
            continue
        key = entry.id if not entry.context else f"{entry.context}\x04{entry.id}"
        if isinstance(entry.id, tuple):
            for i, form in enumerate(entry.string):
                expected[(entry.id[0] if not entry.context else f"{entry.context}\x04{entry.id[0]}", i)] = form
        else:
            expected[key] = entry.string
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected, "the .mo is older than the .po: run `make i18n`"


def test_the_russian_plural_forms_follow_the_count():
    forms = [ngettext("ok: {n} file matches {manifest}", "ok: {n} files match {manifest}", n, lang="ru",
                      manifest="M") for n in (1, 2, 5, 11, 21, 22, 25)]
    assert forms == ["ok: 1 файл совпадает с M", "ok: 2 файла совпадают с M", "ok: 5 файлов совпадают с M",
                     "ok: 11 файлов совпадают с M", "ok: 21 файл совпадает с M", "ok: 22 файла совпадают с M",
                     "ok: 25 файлов совпадают с M"]


# The choice of language -------------------------------------------------------------------------------------

def test_english_is_the_default_and_the_fallback_for_a_missing_phrase():
    assert get_language() == "en"
    assert _("Correct.") == "Correct."
    assert _("A phrase no catalog has: {x}", lang="ru", x=1) == "A phrase no catalog has: 1"
    assert _("", lang="ru") == ""  # never the catalog's header


def test_the_language_is_chosen_in_the_documented_order(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/learner/course/ru/04_data_acquisition.ipynb")
    assert get_language() == "ru"  # 5. the notebook's folder
    monkeypatch.setenv(i18n.ENV_VARIABLE, "en_GB.UTF-8")
    assert get_language() == "en"  # 4. the environment before the notebook
    set_language("ru")
    assert get_language() == "ru"  # 3. set_language before the environment
    with language("en"):
        assert get_language() == "en"  # 2. the context before set_language
        assert get_language("ru") == "ru"  # 1. the keyword before everything
        assert _("Correct.", lang="ru") == "Верно."
    assert get_language() == "ru"
    set_language(None)
    assert get_language() == "en"


def test_the_notebook_decides_only_when_it_sits_in_a_language_folder(monkeypatch):
    for path, expected in [("ru/00_start_here.ipynb", "ru"), ("notebooks/04_data_acquisition.ipynb", "en"),
                           ("rubric/notes.ipynb", "en"), ("xx/00_start_here.ipynb", "en")]:
        monkeypatch.setenv("JPY_SESSION_NAME", path)
        assert get_language() == expected, path


def test_ipython_session_name_is_read_when_the_environment_does_not_say(monkeypatch):
    shell = type("Shell", (), {"user_ns": {"__session__": "/course/ru/03_planning.ipynb"}})()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert get_language() == "ru"


def test_an_unknown_language_raises_for_a_keyword_and_falls_back_for_the_environment(monkeypatch):
    with pytest.raises(LifecycleKitError, match=r"lang: 'de' is not a language of the kit; expected one of en, ru"):
        _("Correct.", lang="de")
    with pytest.raises(LifecycleKitError, match="not a language"):
        set_language("klingon")
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de_DE.UTF-8")
    assert get_language() == "en" and _("Correct.") == "Correct."
    monkeypatch.setenv(i18n.ENV_VARIABLE, "ru_RU.UTF-8")
    assert _("Correct.") == "Верно."


def test_a_broken_translation_shows_the_english_phrase_instead_of_failing(monkeypatch):
    class Broken(gettext.NullTranslations):
        def gettext(self, message):
            return "Сломано: {nonexistent}"

    monkeypatch.setattr(i18n, "_catalog", lambda lang: Broken())
    assert _("Correct: {value}.", lang="ru", value=1) == "Correct: 1."


# Numbers and feedback ----------------------------------------------------------------------------------------

def test_numbers_use_the_decimal_comma_in_russian_and_the_point_in_english():
    assert format_number(0.34, "ru") == "0,34" and format_number(0.34, "en") == "0.34"
    assert format_number(1234567, "ru") == "1\u00a0234\u00a0567" and format_number(1234567, "en") == "1 234 567"
    assert format_number(-0.125, "ru") == "-0,125"


def test_russian_feedback_uses_the_decimal_comma_and_reads_both_separators():
    q = NumericQuestion("share?", answer=0.34, tolerance=0.005, explanation="Потому что.")
    for typed in ("0,34", "0.34", 0.34, "34 %"):
        feedback = q.check(typed, lang="ru")
        assert feedback.correct, typed
        assert feedback.message.startswith("Верно: 0,34"), feedback.message
    assert q.check("0,34", lang="ru").message == "Верно: 0,34."  # the native separator needs no note
    wrong = q.check("0,5", lang="ru")
    assert wrong.message == "Не совсем: 0,5 — не тот ответ." and wrong.hint == "Значение завышено: пересчитайте."
    assert "Подсказка:" in wrong._repr_html_() and "Подсказка:" in repr(wrong)
    assert repr(q.solution(lang="ru")).startswith("Решение: 0,34")
    assert "Ответа пока нет" in q.check(..., lang="ru").message


def test_english_feedback_is_unchanged_by_the_translation_layer():
    q = NumericQuestion("share?", answer=0.34, tolerance=0.005)
    assert q.check("0,34").message == "Correct: 0.34 (read '0,34' as 0.34: a comma is a decimal separator)."
    assert q.check(0.5).hint == "Too high: recount."
    assert repr(q.solution()).startswith("Solution: 0.34")


def test_the_ambiguous_comma_is_explained_in_russian_too():
    value, note = parse_number("1,200", lang="ru")
    assert value == 1.2 and note.startswith("«1,200» прочитано как 1,2") and "введите число без запятой" in note


def test_choice_feedback_in_russian_declines_the_counts():
    q = ChoiceQuestion("which?", options={"a": "A", "b": "B", "c": "C"}, correct={"a", "b"})
    assert q.check(["a"], lang="ru").message == "Вы выбрали 1 из 2 верных вариантов."
    assert q.check(["a", "c"], lang="ru").message == "Вы выбрали 1 из 2 верных вариантов и 1 неверный."
    single = ChoiceQuestion("which?", options={"a": "A", "b": "B"}, correct="a")
    assert single.check("b", lang="ru").message == "Нет, не «б) B»."  # the option as the learner saw it
    assert q.check(["a"]).message == "You picked 1 of the 2 right options."


def test_the_self_check_box_speaks_its_language():
    from lifecycle_kit.labs.self_check import SelfCheck

    box = SelfCheck(NumericQuestion("share?", answer=0.34, tolerance=0.005), lang="ru")
    assert (box.check_button.description, box.solution_button.description) == ("Проверить", "Показать решение")
    assert box.answer.description == "Ответ" and "0,25" in box.answer.placeholder
    box.set_answer("0,34")
    assert box.check().message == "Верно: 0,34." and "Верно" in box.feedback.value
    assert "Решение:" in box.reveal()._repr_html_()
    english = SelfCheck(NumericQuestion("share?", answer=0.34, tolerance=0.005))
    assert english.check_button.description == "Check"


# The command line -------------------------------------------------------------------------------------------

def test_lab_in_russian_selects_the_language_pack_through_a_settings_override(monkeypatch, capsys):
    seen = {}

    def fake_call(command):
        settings = next(a.split("=", 1)[1] for a in command if a.startswith("--LabApp.app_settings_dir="))
        seen["overrides"] = json.loads((Path(settings) / "overrides.json").read_text(encoding="utf-8"))
        seen["command"] = command
        return 0

    monkeypatch.setattr("subprocess.call", fake_call)
    monkeypatch.setattr("subprocess.run", lambda *a, **k: None)
    assert main(["lab", "--no-browser", "--lang", "ru"]) == 0
    assert seen["overrides"]["@jupyterlab/translation-extension:plugin"] == {"locale": "ru_RU"}
    captured = capsys.readouterr()
    assert "Запускается JupyterLab" in captured.out
    default_url = next(a for a in seen["command"] if a.startswith("--LabApp.default_url="))
    if (ROOT / "notebooks" / "ru" / "00_start_here.ipynb").is_file():
        assert default_url.endswith("/lab/tree/ru/00_start_here.ipynb")
    else:  # the Russian notebooks come later: the English one opens, and the learner is told so
        assert default_url.endswith("/lab/tree/00_start_here.ipynb")
        assert "английская редакция" in captured.err


def test_lab_in_english_leaves_jupyterlab_settings_alone(monkeypatch, capsys):
    monkeypatch.setattr("subprocess.run", lambda *a, **k: None)
    assert main(["lab", "--print-command", "--no-browser"]) == 0
    assert "--LabApp.app_settings_dir" not in capsys.readouterr().out


def test_the_settings_override_keeps_jupyterlabs_other_overrides(tmp_path):
    from lifecycle_kit.course.launch import lab_settings_dir

    source = tmp_path / "own"
    source.mkdir()
    (source / "overrides.json").write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    folder = lab_settings_dir(tmp_path / "launch", locale="ru_RU", source=source)
    overrides = json.loads((folder / "overrides.json").read_text())
    assert overrides == {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                         "@jupyterlab/translation-extension:plugin": {"locale": "ru_RU"}}
    assert json.loads((source / "overrides.json").read_text()) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}  # JupyterLab's own is untouched


def test_the_russian_language_pack_is_installed_and_found(monkeypatch):
    import sys

    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)

    from lifecycle_kit.course.launch import default_app_settings_dir, jupyterlab_locale

    assert jupyterlab_locale("ru") == "ru_RU" and jupyterlab_locale("en") is None
    # JupyterLab's rule for an environment install (jupyterlab.commands.get_app_dir takes seconds to import).
    assert default_app_settings_dir() == Path(sys.prefix, "share", "jupyter", "lab", "settings")


def test_present_in_russian_runs_voila_with_the_language_set(monkeypatch, capsys):
    seen = {}

    def fake_call(command, env):
        seen["command"], seen["env"] = command, env
        return 0

    monkeypatch.setattr("subprocess.call", fake_call)
    assert main(["present", "04", "--no-browser", "--lang", "ru"]) == 0
    assert seen["env"][i18n.ENV_VARIABLE] == "ru"
    notebook = Path(seen["command"][3])
    assert notebook.name.startswith("04_")
    captured = capsys.readouterr()
    assert "Voila" in captured.out
    if list((ROOT / "notebooks" / "ru").glob("04_*.ipynb")):
        assert notebook.parent.name == "ru" and not captured.err
    else:  # no Russian notebook yet: the English one, and the presenter is told so
        assert notebook.parent.name == "notebooks" and "английская редакция" in captured.err


def test_cli_help_and_errors_in_russian(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["check", "--lang", "ru", "--help"])
    assert "проверяемая таблица" in capsys.readouterr().out
    assert main(["manifest", "verify", str(tmp_path), "--lang", "ru"]) == 2
    err = capsys.readouterr().err
    assert err == "error: для manifest verify нужен файл манифеста: lifecycle-kit manifest verify ПАПКА МАНИФЕСТ\n"


def test_an_unknown_cli_language_is_one_error_line(capsys):
    assert main(["datasets", "--lang", "xx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --lang: 'xx' is not a language of the kit") and err.count("\n") == 1


def test_the_russian_edition_is_opened_and_copied_once_it_exists(tmp_path, monkeypatch):
    from lifecycle_kit.course import launch as course

    source = tmp_path / "notebooks"
    (source / "ru").mkdir(parents=True)
    for path in (source / "00_start_here.ipynb", source / "ru" / "00_start_here.ipynb",
                 source / "04_data_acquisition.ipynb", source / "ru" / "04_data_acquisition.ipynb"):
        path.write_text("{}")
    assert course.start_notebook(source, "ru") == ("ru/00_start_here.ipynb", True)
    monkeypatch.setattr(course, "find_notebooks_dir", lambda: source)
    assert course.find_notebook("04", lang="ru") == source / "ru" / "04_data_acquisition.ipynb"
    assert course.find_notebook("04") == source / "04_data_acquisition.ipynb"
    copy = course.prepare_course(tmp_path / "learner")
    assert (copy / "ru" / "00_start_here.ipynb").is_file() and (copy / "00_start_here.ipynb").is_file()


def test_no_function_hides_the_translation_function_behind_a_local_underscore():
    # `body, _ = ...` in a function that also calls `_("...")` raises UnboundLocalError only when that line runs.
    import ast

    found = []
    for path in sorted((ROOT / "lifecycle_kit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = list(ast.walk(node))
            binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in names)
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in names)
            if binds and calls:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not found, "functions that assign `_` and call _(): rename the throwaway variable\n" + "\n".join(found)


def test_no_phrase_is_written_inside_an_f_string():
    # Babel reads an f-string as one token: a _("phrase") inside its braces is never extracted, so it would never be
    # translated and no test would notice. Write the phrase outside the f-string.
    import ast

    found = []
    for path in sorted((ROOT / "lifecycle_kit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in KEYWORDS
                        and inner.args and isinstance(inner.args[0], ast.Constant)):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.args[0].value!r}")
    assert not found, "phrases inside f-strings (not extracted by Babel):\n" + "\n".join(found)


def test_the_catalogs_pass_babels_checks():
    # What `pybabel compile` checks: e.g. a literal "5% or more" makes Babel read a phrase as %-format, and a
    # translation writing "5 %" then fails to compile ("placeholders are incompatible"). Use {share:.0%} instead.
    for lang in LANGUAGES:
        problems = [f"{message.id!r}: {'; '.join(map(str, errors))}" for message, errors in _po(lang).check()]
        assert not problems, f"{lang}:\n" + "\n".join(problems)
