"""The language a learner reads: gettext catalogs, the choice of language, numbers with its decimal separator.

Every user-visible fixed phrase of the kit (lab framework, feedback engine,
command line) is written in English in the code and wrapped in :func:`_`
(``gettext``) or :func:`ngettext`; the translations are standard gettext
catalogs, ``lifecycle_kit/locale/<lang>/LC_MESSAGES/lifecycle_kit.po``,
compiled to ``.mo`` files that ship with the package. Adding a language is a
translation job: ``make i18n`` extracts the phrases with Babel and updates
every catalog; a translator fills in the new ``.po`` (the decimal and
thousands separators are translated like any other phrase). A new language
starts with ``pybabel init -i build/lifecycle_kit.pot -d lifecycle_kit/locale
-D lifecycle_kit -l zh`` after ``make i18n``; once its ``.mo`` is compiled it
is offered by ``--lang`` and selected by ``LIFECYCLE_KIT_LANG``, and the
JupyterLab language pack of that language (if installed) is used for
``lifecycle-kit lab --lang zh``.

The compiled ``.mo`` files are committed next to their ``.po`` (an editable
install and a wheel then need no build step, and Babel stays a development
tool); tests/test_i18n.py fails when a ``.mo`` is out of step with its ``.po``.

Which language is used, first rule that applies:

1. the ``lang`` keyword of the call (``_("Correct.", lang="ru")``);
2. the :func:`language` context (``with language("ru"): ...``);
3. :func:`set_language` (for the whole process);
4. the environment variable ``LIFECYCLE_KIT_LANG`` (``ru``, ``ru_RU.UTF-8``);
5. the notebook the kernel runs, when it sits in a folder named after a
   language (``notebooks/ru/04_data_acquisition.ipynb``): Jupyter tells the
   kernel its notebook in ``JPY_SESSION_NAME`` (IPython's ``__session__``);
6. English.

A phrase with no translation in the chosen language is shown in English.
Placeholders are named (``{rate}``), so a translation may reorder them; ``lang`` is the
keyword that chooses the language, so no placeholder is called ``lang``. A number
filled into a placeholder is written with the language's decimal separator
(``0,01`` in Russian), whatever format spec the placeholder has.

Texts written once and shown later — a self-check's question, options, hints
and explanation, a lab's title — are marked with :func:`N_` where they are
written, so Babel extracts them, and translated with :func:`_` where they are
shown. ``N_("Set the rate to {rate}.", rate=0.01)`` returns a :class:`Message`:
a ``str`` that reads as the English text, and remembers its ``msgid`` and
values so that :func:`_` can say it in another language.

Examples
--------
>>> from lifecycle_kit.i18n import _, format_number, language
>>> _("Correct.", lang="ru")
'Верно.'
>>> _("Not answered yet. Replace ... with your answer and run the cell again.", lang="en")
'Not answered yet. Replace ... with your answer and run the cell again.'
>>> with language("ru"):
...     format_number(0.34), format_number(1200)
('0,34', '1\\xa0200')
>>> format_number(0.34, lang="en")
'0.34'
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import numbers
import os
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_LANGUAGE", "ENV_VARIABLE", "LOCALE_DIR", "Message", "N_", "available_languages", "format_number",
           "format_value", "get_language", "gettext", "language", "message_frame", "ngettext", "normalise_language", "pgettext",
           "set_language", "_"]

#: The language when nothing else chooses one.
DEFAULT_LANGUAGE = "en"
#: The environment variable that chooses the language.
ENV_VARIABLE = "LIFECYCLE_KIT_LANG"
DOMAIN = "lifecycle_kit"
#: Where the compiled catalogs are.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_process_language: str | None = None
_context_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("lifecycle_kit_language", default=None)


@functools.cache
def available_languages() -> tuple[str, ...]:
    """The languages the kit can show: English and every language with a compiled catalog.

    >>> available_languages()[0], "ru" in available_languages()
    ('en', True)
    """
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple([DEFAULT_LANGUAGE] + [lang for lang in found if lang != DEFAULT_LANGUAGE])


def _language_code(value):
    # "ru_RU.UTF-8", "ru-RU", "RU" -> "ru": the catalogs are per language, not per country.
    return str(value).strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def normalise_language(value: str, *, where: str = "lang") -> str:
    """The kit's code of a language (``"ru"``) from a code or a locale name; unknown languages raise.

    >>> normalise_language("ru_RU.UTF-8"), normalise_language("EN-gb")
    ('ru', 'en')
    >>> normalise_language("xx")
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.LifecycleKitError: lang: 'xx' is not a language of the kit; expected one of en, ru
    """
    code = _language_code(value)
    if code not in available_languages():
        raise LifecycleKitError(f"{where}: {value!r} is not a language of the kit; expected one of "
                                + ", ".join(available_languages()))
    return code


def set_language(lang: str | None) -> None:
    """Show the kit in ``lang`` from now on in this process (``None``: back to the automatic choice)."""
    global _process_language
    _process_language = None if lang is None else normalise_language(lang)


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Within the ``with`` block, show the kit in ``lang`` (``None`` keeps the current choice)."""
    if lang is None:
        yield get_language()
        return
    token = _context_language.set(normalise_language(lang))
    try:
        yield get_language()
    finally:
        _context_language.reset(token)


def _session_path():
    path = os.environ.get("JPY_SESSION_NAME")
    if path:
        return path
    if "IPython" not in sys.modules:  # only look for a kernel when one can exist; keeps the import light
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return None if shell is None else shell.user_ns.get("__session__")


def _notebook_language():
    path = _session_path()
    if not path:
        return None
    folder = PurePath(str(path)).parent.name
    return folder if folder in available_languages() and folder != DEFAULT_LANGUAGE else None


def get_language(lang: str | None = None) -> str:
    """The language in use: ``lang`` if given, else the first rule of the module's list that applies.

    An unknown value of ``LIFECYCLE_KIT_LANG`` falls back to English (a learner's shell
    setting must not break the course); an unknown ``lang`` raises.
    """
    if lang is not None:
        return normalise_language(lang)
    chosen = _context_language.get() or _process_language
    if chosen:
        return chosen
    from_env = os.environ.get(ENV_VARIABLE, "").strip()
    if from_env and _language_code(from_env) in available_languages():
        return _language_code(from_env)
    return _notebook_language() or DEFAULT_LANGUAGE


@functools.cache
def _catalog(lang):
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


_PLAIN_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LONG_NUMBER = re.compile(r"\d{4,}")


class _LocalFormatter(string.Formatter):
    """``str.format`` that writes numbers with the separators of a language, filling plain named fields only.

    A translation is text from a catalog, not code: ``{value[0]}`` or
    ``{value.__class__}`` would index the values or reach their attributes, and
    ``{value:99999999}`` would pad to a hundred megabytes. Such a placeholder is
    refused (a ``ValueError``), and :func:`gettext` shows the English phrase.
    """

    def __init__(self, lang):
        super().__init__()
        self.lang = lang

    def get_field(self, field_name, args, kwargs):
        if not _PLAIN_FIELD.fullmatch(field_name):
            raise ValueError(f"placeholder {{{field_name}}} is not a plain name")
        return kwargs[field_name], field_name

    def format_field(self, value, format_spec):
        if _LONG_NUMBER.search(format_spec):
            raise ValueError(f"format spec {format_spec!r} asks for a width or precision of 1000 or more")
        return self._local(value, format_spec)

    def _local(self, value, format_spec):
        text = format(value, format_spec)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return text
        if isinstance(value, numbers.Integral):
            if "," in format_spec and self.lang != DEFAULT_LANGUAGE:  # "{n:,}": the language's own grouping
                text = text.replace(",", pgettext("thousands separator", " ", lang=self.lang))
            return text
        separator = decimal_separator(self.lang)
        if separator != ".":
            text = text.replace(".", separator)
        if format_spec.endswith("%") and text.endswith("%"):
            # Translators: how a percentage ends ("25 %" in Russian, with a no-break space; "25%" in English).
            text = text[:-1] + pgettext("percent sign", "%", lang=self.lang)
        return text


def format_value(value: object, spec: str = "", lang: str | None = None) -> str:
    """``format(value, spec)`` with the separators of the language, as a placeholder would write it.

    >>> format_value(0.4923, ".3f", "ru"), format_value(1200, ",", "en"), format_value(0.25, ".0%", "ru")
    ('0,492', '1,200', '25\xa0%')
    """
    return _LocalFormatter(get_language(lang))._local(value, spec)


def _fill(text, english, params, lang=None):
    if not params:
        return text
    formatter = _LocalFormatter(get_language(lang))
    try:
        return formatter.format(text, **params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        # A broken translation ("{missing}", "{value:d}" for text, "{value[0]}") must not hide the message.
        return formatter.format(english, **params)


class Message(str):
    """An English phrase marked for translation, with the values of its placeholders.

    It *is* the English text (a ``str``: compare it, slice it, print it), and
    :func:`gettext` says it in another language from its ``msgid`` and
    ``params``. Made by :func:`N_`.

    >>> m = N_("Set the rate to {rate}.", rate=0.25)
    >>> m, m.msgid, m.params
    ('Set the rate to 0.25.', 'Set the rate to {rate}.', {'rate': 0.25})
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, /, **params: object) -> Message:
        self = super().__new__(cls, _fill(msgid, msgid, params, DEFAULT_LANGUAGE) if params else msgid)
        self.msgid, self.params = str(msgid), params
        return self

    def __reduce__(self) -> tuple[object, tuple[str, dict[str, object]]]:  # copies and pickles keep msgid and values
        return (_message, (self.msgid, self.params))


def _message(msgid: str, params: dict[str, object]) -> Message:
    return Message(msgid, **params)


def gettext(message: str, /, *, lang: str | None = None, **params: object) -> str:
    """``message`` in the chosen language, its ``{name}`` placeholders filled from ``params``.

    >>> gettext("Check", lang="ru"), gettext("Correct: {value}.", lang="ru", value="0,34")
    ('Проверить', 'Верно: 0,34.')
    """
    if not message:  # gettext("") is the catalog's header, never a phrase
        return message
    if isinstance(message, Message):
        params = {**message.params, **params}
        message = message.msgid
    lang = get_language(lang)
    # A value that is itself a marked phrase ("{kind}" = N_("outliers")) is said in the same language.
    params = {k: gettext(v, lang=lang) if isinstance(v, Message) else v for k, v in params.items()}
    return _fill(_catalog(lang).gettext(message), message, params, lang)


_ = gettext


def ngettext(singular: str, plural: str, n: int, /, *, lang: str | None = None, **params: object) -> str:
    """The form of a phrase for the count ``n`` (Russian has three); ``{n}`` is filled with ``n``.

    >>> [ngettext("ok: {n} file matches {manifest}", "ok: {n} files match {manifest}", n, lang="ru",
    ...           manifest="M.json") for n in (1, 3, 5)]
    ['ok: 1 файл совпадает с M.json', 'ok: 3 файла совпадают с M.json', 'ok: 5 файлов совпадают с M.json']
    """
    lang = get_language(lang)
    text = _catalog(lang).ngettext(singular, plural, n)
    return _fill(text, singular if n == 1 else plural, {"n": n, **params}, lang)


def pgettext(context: str, message: str, /, *, lang: str | None = None, **params: object) -> str:
    """Like :func:`gettext`, for a short phrase whose translation depends on ``context``."""
    lang = get_language(lang)
    return _fill(_catalog(lang).pgettext(context, message), message, params, lang)


def N_(message: str, /, **params: object) -> Message:
    """Mark a phrase for extraction without translating it yet; translate it with :func:`_` when shown.

    With ``params``, the result is a :class:`Message` whose English text has
    them filled in; :func:`_` fills them into the translation. Write the phrase
    as one literal (implicit concatenation is fine), never an f-string: Babel
    extracts literals only.

    >>> N_("Correct."), _(N_("Correct."), lang="ru")
    ('Correct.', 'Верно.')
    >>> _(N_("Correct: {value}.", value=0.25), lang="ru")
    'Верно: 0,25.'
    """
    return Message(message, **params)


def decimal_separator(lang: str | None = None) -> str:
    """The decimal separator of the language (``"."`` in English, ``","`` in Russian)."""
    # Translators: the decimal separator of numbers in your language ("," in Russian).
    return pgettext("decimal separator", ".", lang=lang)


def format_number(value: float, lang: str | None = None) -> str:
    """A number as the feedback shows it: four significant digits, the language's separators.

    Whole numbers are grouped by thousands with a space (a no-break space in
    Russian), never with a comma: where the comma is the decimal separator,
    "1,200" would read as 1.2.

    >>> format_number(0.34, "ru"), format_number(0.34, "en"), format_number(1200, "en"), format_number(1e-5, "ru")
    ('0,34', '0.34', '1 200', '1e-05')
    >>> format_number(-2.5, "ru")
    '-2,5'
    """
    lang = get_language(lang)
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        # Translators: the separator of groups of three digits ("1 200"); Russian uses a no-break space.
        thousands = pgettext("thousands separator", " ", lang=lang)
        return f"{int(value):,}".replace(",", thousands)
    return f"{value:.4g}".replace(".", decimal_separator(lang))


def message_frame(data: Any, **options: Any) -> pd.DataFrame:
    """A DataFrame whose columns of phrases keep them as :class:`Message` objects, said when shown.

    pandas 3 stores text in its ``str`` dtype; with pyarrow installed that copies each value into an Arrow
    array, and a :class:`Message` would come back as plain English text. Columns that hold a Message are
    kept as Python objects instead. ``data`` is what :class:`pandas.DataFrame` takes: a list of row dicts,
    or a dict of columns; ``options`` go to it too.

    Examples
    --------
    >>> frame = message_frame([{"rule": N_("range"), "count": 2}])
    >>> isinstance(frame.loc[0, "rule"], Message), str(frame["count"].dtype)
    (True, 'int64')
    """
    import pandas as pd

    if isinstance(data, list) and all(isinstance(row, dict) for row in data):
        keys = list(dict.fromkeys(k for row in data for k in row))
        data = {k: [row.get(k) for row in data] for k in keys} if data else data
    if isinstance(data, dict):
        index = options.get("index")
        data = {k: pd.Series(list(v), dtype=object, index=index) if isinstance(v, (list, tuple))
                and any(isinstance(x, Message) for x in v) else v for k, v in data.items()}
    return pd.DataFrame(data, **options)
