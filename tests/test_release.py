"""The release's documents agree with the package: one version, a valid citation, a changelog in its form.

The version is written once, in ``lifecycle_kit/__init__.py``; hatchling reads it from there into the package
metadata (``[tool.hatch.version]``). CITATION.cff, CHANGELOG.md and SECURITY.md name it too, and these tests
keep them in step. CITATION.cff is validated against the Citation File Format 1.2.0 schema
(``tests/data/citation-file-format-1.2.0.schema.json``, copied from the cffconvert 2.0.0 package, which
ships the format's own schema; the same check as ``cffconvert --validate``).
"""

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

import lifecycle_kit
from lifecycle_kit.course.citations import PAPER_TITLE_EN, PAPER_TITLE_RU

ROOT = Path(__file__).resolve().parents[1]
VERSION = lifecycle_kit.__version__


@pytest.fixture(scope="module")
def citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _words(text):
    return " ".join(str(text).split())


def test_the_version_is_single_sourced():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"] and "version" not in pyproject["project"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "lifecycle_kit/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_the_citation_file_is_valid_and_names_this_version(citation):
    schema = json.loads((ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json").read_text())
    jsonschema.Draft7Validator(schema).validate(citation)
    assert citation["cff-version"] == "1.2.0" and citation["version"] == VERSION


def test_the_schema_check_can_fail(citation):
    schema = json.loads((ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json").read_text())
    broken = {**citation, "authors": [{"surname": "Zatsarinny"}]}  # not a field of the format
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_the_citation_references_the_paper_by_its_authors_and_both_titles(citation):
    paper = next(r for r in citation["references"] if _words(r["title"]) == PAPER_TITLE_RU)
    assert [a["family-names"] for a in paper["authors"]] == ["Зацаринный", "Гаврилов"]
    assert [a["given-names"] for a in paper["authors"]] == ["А. А.", "В. Е."]
    assert PAPER_TITLE_EN in _words(paper["notes"])  # the paper's own English title, not a translation of ours
    assert paper["languages"] == ["rus"]


def test_the_changelog_keeps_a_changelogs_form_and_starts_with_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\S+))?$", text, flags=re.M)
    assert releases and releases[0][0] == VERSION, releases[:2]
    for version, date in releases:
        assert re.fullmatch(r"\d+\.\d+\.\d+", version) and (date == "Unreleased"
                                                            or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)), (version, date)
    kinds = set(re.findall(r"^### (.+)$", text, flags=re.M))
    assert kinds and kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
    # Every heading is either a release or a kind of change: no free-form sections in between.
    assert len(re.findall(r"^##+ ", text, flags=re.M)) == len(releases) + len(re.findall(r"^### ", text, flags=re.M))


def test_the_security_policy_supports_this_minor_version():
    major, minor, _ = VERSION.split(".")
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| {major}\.{minor}\.x \| yes", text, flags=re.M)


def test_the_classifiers_name_the_pythons_the_package_accepts():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    minimum = tuple(int(p) for p in project["requires-python"].removeprefix(">=").split("."))
    pythons = sorted(tuple(int(p) for p in c.rsplit(" ", 1)[1].split("."))
                     for c in project["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert pythons[0] == minimum and pythons == [(3, minor) for minor in range(minimum[1], pythons[-1][1] + 1)]
    assert {"Framework :: Jupyter", "Intended Audience :: Education"} <= set(project["classifiers"])
    assert any(c.startswith("Operating System ::") for c in project["classifiers"])
