"""The package's shape: stages that only import from the stages above them, short functions,
no private name crossing a module boundary, no two public functions with one name.

These guard the restructuring (issue "Rooms that show the data flow"): a change that breaks
one of them fails here, with the offending file and line.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import incubo_analysis

PACKAGE = Path(incubo_analysis.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_FUNCTION_LINES = 80
MAX_CLASS_LINES = 300
#: Each stage may import from the stages listed before it (and from the shared modules).
STAGES = ["contract", "model", "monitoring", "outputs", "cli"]
SHARED = {"errors", "io", "paths", "labels", ""}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path):
    """(line, module imported, names) of every ``incubo_analysis`` import, wherever it is."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("incubo_analysis"):
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("incubo_analysis"):
                    yield node.lineno, a.name, []


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_stage_sub_packages_exist():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_down_the_stages(path):
    here = _stage(_name(path))
    if here not in STAGES:
        return  # the root and the shared modules: checked by the laziness test of test_api
    allowed = set(STAGES[: STAGES.index(here) + 1]) | SHARED
    for line, module, _names in _imports(path):
        target = _stage(module)
        if target in SHARED and module.count(".") <= 1 and target not in STAGES:
            continue
        assert target in allowed, f"{path.name}:{line}: stage {here!r} imports {module} (stage {target!r})"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_module(path):
    for line, module, names in _imports(path):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private, f"{path.name}:{line}: imports private {private} from {module}"
    tree = _tree(path)
    aliases = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module and node.module.startswith("incubo_analysis") for a in node.names}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            raise AssertionError(f"{path.name}:{node.lineno}: uses private {node.value.id}.{node.attr}")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_functions_and_classes_are_short(path):
    long = []
    for node in ast.walk(_tree(path)):
        size = node.end_lineno - node.lineno + 1 if hasattr(node, "end_lineno") else 0
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and size > MAX_FUNCTION_LINES:
            long.append(f"function {node.name} ({size} lines, line {node.lineno})")
        if isinstance(node, ast.ClassDef) and size > MAX_CLASS_LINES:
            long.append(f"class {node.name} ({size} lines, line {node.lineno})")
    assert not long, f"{path.relative_to(PACKAGE)}: " + "; ".join(long)


def test_no_two_public_functions_share_a_name():
    where = defaultdict(list)
    for path in MODULES:
        for node in _tree(path).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                where[node.name].append(_name(path))
    clashes = {name: mods for name, mods in where.items() if len(mods) > 1 and name != "main"}
    assert not clashes, clashes


def test_the_guard_sees_a_long_function(tmp_path):
    """The length check can fail: a generated 81-line function is caught."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    src = tmp_path / "m.py"
    src.write_text(f"def f():\n{body}\n", encoding="utf-8")
    node = _tree(src).body[0]
    assert node.end_lineno - node.lineno + 1 == MAX_FUNCTION_LINES + 1
