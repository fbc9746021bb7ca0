"""No import circles in kkdesk, and the core never imports the GUI.

The graph is read from the source with `ast`: an import counts wherever it is
written (module level, inside a function, a class, a `try`, a `with`), because a
deferred import hides a circle from Python, not from the reader. Only imports under
`if TYPE_CHECKING:` are exempt. Relative imports are resolved, and
`from package import module` is an edge to the module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent.parent / "kkdesk"


def module_files(root: Path) -> dict[str, Path]:
    mods = {}
    for f in root.rglob("*.py"):
        parts = list(f.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = f
    return mods


def _type_checking(test: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "TYPE_CHECKING"
               or isinstance(n, ast.Attribute) and n.attr == "TYPE_CHECKING" for n in ast.walk(test))


def imports(tree: ast.AST):
    """Every Import/ImportFrom node at any depth, skipping `if TYPE_CHECKING:` bodies
    (their `else:` still counts)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def resolve(name: str, mods: dict[str, Path]) -> str | None:
    """The module `name` is (or is inside): `kkdesk.ui.shell.app.main` -> `kkdesk.ui.shell.app`."""
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    base = root.name
    mods = module_files(root)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for mod, f in mods.items():
        package = mod if f.name == "__init__.py" else mod.rpartition(".")[0]
        for node in imports(ast.parse(f.read_text(encoding="utf-8"), str(f))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    prefix = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # `from pkg import mod` names the module; `from mod import name` the module itself
                targets = [f"{prefix}.{a.name}" for a in node.names if a.name != "*"] or [prefix]
            for t in targets:
                if t.split(".")[0] != base:
                    continue
                r = resolve(t, mods)
                if r and r != mod:
                    edges[mod].add(r)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        found.append(sorted(comp))
    return found


def a_cycle(edges: dict[str, set[str]], comp: list[str]) -> list[str]:
    """One concrete circle inside a component, for the failure message: a -> b -> a."""
    members = set(comp)
    start = comp[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges[v] & members):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return comp


def test_kkdesk_has_no_import_circle():
    edges = import_graph()
    assert "kkdesk.ui.shell.app" in edges and "kkdesk.records" in edges
    found = circles(edges)
    assert not found, "import circles:\n" + "\n".join(" -> ".join(a_cycle(edges, c)) for c in found)


def test_the_core_never_imports_the_gui():
    """Checked on the source, imports in functions included (test_layering checks it at run time)."""
    offenders = []
    for mod, f in module_files(PACKAGE).items():
        if mod.startswith("kkdesk.ui") or mod == "kkdesk.__main__":  # the GUI's launcher
            continue
        for node in imports(ast.parse(f.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            offenders += [f"{mod}: {n}" for n in names if n.split(".")[0] == "PySide6" or n.startswith("kkdesk.ui")]
    assert not offenders


CASES = {
    "deferred": ({"a.py": "def f():\n    from pkg import b\n", "b.py": "import pkg.a\n"}, [["pkg.a", "pkg.b"]]),
    "relative": ({"a.py": "from . import b\n", "b.py": "from .a import x\n"}, [["pkg.a", "pkg.b"]]),
    "parent": ({"sub/__init__.py": "", "sub/c.py": "from .. import a\n", "a.py": "from pkg.sub.c import y\n"},
               [["pkg.a", "pkg.sub.c"]]),
    "in a class, a try and a with": ({"a.py": "class K:\n    try:\n        import pkg.b\n    except ImportError:\n        pass\n",
                                      "b.py": "with x:\n    from pkg.a import K\n"}, [["pkg.a", "pkg.b"]]),
    "type checking only": ({"a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
                            "b.py": "import pkg.a\n"}, []),
    "type checking else": ({"a.py": "if typing.TYPE_CHECKING:\n    pass\nelse:\n    from pkg import b\n",
                            "b.py": "import pkg.a\n"}, [["pkg.a", "pkg.b"]]),
    "a name, not a module": ({"a.py": "from pkg.b import thing\n", "b.py": "def g():\n    from pkg.c import z\n",
                              "c.py": "from pkg import a\n"}, [["pkg.a", "pkg.b", "pkg.c"]]),
    "no circle": ({"a.py": "from pkg import b\n", "b.py": "import json\nimport pkgother.a\n"}, []),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_graph_sees_every_kind_of_import(tmp_path, name):
    files, expected = CASES[name]
    root = tmp_path / "pkg"
    for rel, text in {"__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    assert circles(import_graph(root)) == expected
