"""Fill translations into a gettext catalog from a JSON file, and list what is still untranslated.

A translator working through hundreds of phrases writes them as JSON, ``{"English msgid": "translation"}`` (a list
of forms for a phrase with plurals: three in Russian), and this tool puts each into the catalog, keeping the rest of
the file as `make i18n` writes it. Run `make i18n` first (so the catalog has the new phrases) and afterwards (to
compile the ``.mo``).

    python tools/po_fill.py --todo ru [--grep lifecycle_kit/course/selfchecks/capstone.py]   # JSON skeleton of what is missing
    python tools/po_fill.py ru translations.json                                      # fill them in

``--todo`` prints the untranslated msgids as a JSON object with empty strings, ready to be filled; ``--grep`` keeps
the phrases first extracted from one file (run the extraction with locations: the catalog itself has none).
"""

import argparse
import io
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def catalog_path(lang):
    return ROOT / "lifecycle_kit" / "locale" / lang / "LC_MESSAGES" / "lifecycle_kit.po"


def _read(lang):
    with open(catalog_path(lang), "rb") as handle:
        return read_po(handle)


def _write(lang, catalog):
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, ignore_obsolete=True)  # as `make i18n` writes it
    catalog_path(lang).write_bytes(buffer.getvalue())


def _locations(path_part):
    """msgids extracted from files whose path contains ``path_part`` (a fresh extraction, as `make i18n` does)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {message[0] if isinstance(message, tuple) else message
            for filename, _lineno, message, _comments, _context in extract_from_dir(
                str(ROOT), method_map=method_map, options_map=options_map, keywords=keywords)
            if path_part in filename}


def todo(lang, path_part=None):
    catalog = _read(lang)
    wanted = _locations(path_part) if path_part else None
    missing = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if wanted is not None and msgid not in wanted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing[msgid] = ["", "", ""] if isinstance(message.id, tuple) else ""
    return missing


def fill(lang, translations):
    catalog = _read(lang)
    unknown = []
    for msgid, text in translations.items():
        message = next((m for m in catalog if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid), None)
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(text) if isinstance(text, list) else (text,) * len(message.string or (1, 2, 3))
        else:
            message.string = text
        message.flags.discard("fuzzy")
    _write(lang, catalog)
    return unknown


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang")
    parser.add_argument("translations", nargs="?", help="JSON file {msgid: translation}")
    parser.add_argument("--todo", action="store_true", help="print the untranslated msgids as JSON")
    parser.add_argument("--grep", help="with --todo: only phrases extracted from files whose path contains this")
    args = parser.parse_args(argv)
    if args.todo:
        json.dump(todo(args.lang, args.grep), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not args.translations:
        parser.error("give a JSON file of translations, or --todo")
    unknown = fill(args.lang, json.loads(Path(args.translations).read_text(encoding="utf-8")))
    for msgid in unknown:
        print(f"not in the catalog (run make i18n first?): {msgid[:80]!r}", file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
