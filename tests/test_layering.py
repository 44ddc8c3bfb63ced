"""The layout holds (issue 13, docs/ARCHITECTURE.md): no import cycles, a pure domain, and no
feature reaching into another feature's pages. Read from the source, so a new module is
checked the day it is written."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import FEATURES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tracker"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported(path: Path, *, module_level: bool) -> set[str]:
    """The tracker modules a file imports (only those run on import, or every one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ([n for n in tree.body if not _type_checking(n)] if module_level
             else list(ast.walk(tree)))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in MODULES}


def has_blueprint(path: Path) -> bool:
    """A views module: it makes a Blueprint (`bp = Blueprint(...)`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
               and ast.unparse(node.value.func) == "Blueprint" for node in tree.body)


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = {name: imported(path, module_level=True) - {name} for name, path in MODULES.items()}
    assert cycles(graph) == []


def test_the_domain_imports_nothing_outside_it():
    outside = {f"{name} imports {other}" for name, path in MODULES.items()
               if name.startswith("tracker.domain")
               for other in imported(path, module_level=False)
               if not other.startswith("tracker.domain") and other != "tracker"}
    assert outside == set()


def test_importing_the_domain_loads_neither_flask_nor_sqlalchemy():
    code = ("import importlib, pkgutil, sys, tracker.domain\n"
            "for m in pkgutil.iter_modules(tracker.domain.__path__):\n"
            "    importlib.import_module('tracker.domain.' + m.name)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'sqlalchemy', 'werkzeug', 'jinja2', 'wtforms', 'flask_babel'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_no_feature_imports_another_features_views():
    views = {name for name, path in MODULES.items() if has_blueprint(path)}
    assert views, "no views found: has the layout changed?"
    crossing = {f"{name} imports {other}" for name, path in MODULES.items()
                for other in imported(path, module_level=False) & views
                if feature_of(other) != feature_of(name)}
    assert crossing == set()


@pytest.mark.parametrize("feature", FEATURES)
def test_every_feature_is_a_package_with_its_own_templates(feature):
    folder = PACKAGE / feature
    assert (folder / "__init__.py").is_file()
    templates = folder / "templates"
    if templates.is_dir():
        for other in FEATURES:
            if other == feature or not (PACKAGE / other / "templates").is_dir():
                continue
            mine = {p.relative_to(templates) for p in templates.rglob("*") if p.is_file()}
            theirs = {p.relative_to(PACKAGE / other / "templates")
                      for p in (PACKAGE / other / "templates").rglob("*") if p.is_file()}
            assert mine & theirs == set(), f"{feature} and {other} both define these templates"


def test_only_a_handful_of_top_level_modules():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "config.py", "models.py"]
