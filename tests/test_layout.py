"""The package's layout: no import cycles (deferred imports included), imports in one direction.

Read from the source with :mod:`ast`, so every ``import`` counts — at the top of a
module or inside a function — except those under ``if TYPE_CHECKING:`` (they never
run). A cycle means a module two floors down calls back up; the fix is an event or
a returned value (see :mod:`lifecycle_kit.course.events`), never a deferred import.
"""

import ast
import importlib
from pathlib import Path

import pytest

import lifecycle_kit

PACKAGE = Path(lifecycle_kit.__file__).resolve().parent


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path):
    """``[(imported module, line)]`` of one file, TYPE_CHECKING blocks left out."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # ``from package import module`` imports the module (its package's __init__ runs first anyway,
            # as for every submodule); ``from module import name`` imports the module.
            for alias in node.names:
                dotted = f"{base}.{alias.name}"
                found.append((dotted if _resolve(dotted) == (lifecycle_kit._moved_to(dotted) or dotted) else base,
                              node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _resolve(name):
    """The kit's module an import names (old short names followed to their new place), or None."""
    moved = lifecycle_kit._moved_to(name)
    name = moved or name
    while name and name not in MODULES:
        name = name.rpartition(".")[0] if "." in name else ""
    return name or None


def _graph():
    graph = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for imported, _line in _imports(path):
            if not imported.startswith("lifecycle_kit"):
                continue
            target = _resolve(imported)
            if target and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_graph_sees_deferred_imports():
    # The old cycle went through an import inside a method; the reader must see such imports.
    source = "def f():\n    from lifecycle_kit.course.progress import record\n"
    path = PACKAGE / "course" / "_probe_for_test.py"
    try:
        path.write_text(source, encoding="utf-8")
        assert ("lifecycle_kit.course.progress", 2) in _imports(path)
    finally:
        path.unlink()


def test_a_cycle_is_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (deferred imports count): " + "; ".join(" <-> ".join(c) for c in cycles)


# What the core may not import: the course machinery and the widgets sit above it.
_ABOVE_THE_CORE = ("lifecycle_kit.course", "lifecycle_kit.labs", "lifecycle_kit.cli")
# The few modules that sit at the top with the course: the command line and the environment check start
# the course (JupyterLab, Voila); the lifecycle report names its sections by the course's stage map.
_TOP = {"lifecycle_kit", "lifecycle_kit.cli", "lifecycle_kit.doctor", "lifecycle_kit.report"}


def _layer(name):
    if name.startswith("lifecycle_kit.labs"):
        return "labs"
    if name.startswith("lifecycle_kit.course") or name in _TOP:
        return "course"
    return "core"


def test_the_core_never_imports_the_course_or_the_labs():
    upward = [f"{name} -> {target}" for name, targets in _graph().items() if _layer(name) == "core"
              for target in targets if target.startswith(_ABOVE_THE_CORE)]
    assert not upward, upward


def test_the_course_never_imports_the_labs():
    upward = [f"{name} -> {target}" for name, targets in _graph().items()
              if name.startswith("lifecycle_kit.course") for target in targets if _layer(target) == "labs"]
    assert not upward, upward


def test_the_package_uses_the_new_names_of_moved_modules():
    # The short names are for notebooks and learners; inside the package they would hide the layout.
    old = [f"{name}:{line} imports {imported}" for name, path in MODULES.items() for imported, line in _imports(path)
           if lifecycle_kit._moved_to(imported) and not imported.endswith(tuple(f".{n}" for n in ("__version__",)))]
    assert not old, old


def test_the_top_level_shows_domains_not_a_heap():
    top = sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py" and not p.name.startswith("_"))
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert "course" in packages
    for moved in ("exercises.py", "code_exercises.py", "progress.py", "class_report.py", "stages.py", "course.py"):
        assert moved not in top
    assert not (PACKAGE / "selfchecks").exists()


@pytest.mark.parametrize("old", sorted(lifecycle_kit._MOVED))
def test_old_names_import_the_same_module(old):
    new = lifecycle_kit._MOVED[old]
    assert importlib.import_module(old) is importlib.import_module(new)
    assert importlib.import_module(old).__spec__.name == new


def test_a_submodule_by_its_old_name_is_not_run_twice():
    from lifecycle_kit.course.selfchecks import capstone
    from lifecycle_kit.selfchecks import capstone as by_old_name

    assert capstone is by_old_name


def test_the_launcher_names_are_still_on_lifecycle_kit_course():
    from lifecycle_kit.course import launch, prepare_course

    assert prepare_course is launch.prepare_course
    assert "prepare_course" in dir(importlib.import_module("lifecycle_kit.course"))


def test_checking_an_answer_records_it_through_the_event(tmp_path, monkeypatch):
    # Recording is a listener now: an answer checked through the catalogue still lands in the file.
    from lifecycle_kit.course.progress import read_progress
    from lifecycle_kit.selfchecks import for_notebook

    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("LIFECYCLE_KIT_PROGRESS_FILE", str(path))
    question = for_notebook("00_start_here")["trust_stage"]
    question.check("certainly not this")
    records = read_progress(path)
    assert records[["notebook", "question", "event"]].values.tolist() == [["00_start_here", "trust_stage", "check"]]
