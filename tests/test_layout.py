"""The floors of the code, read from the imports of every product module (with `ast`, imports inside functions too).

nlp (pure) → models (tables) → handlers.domain (rules) → handlers.present (how answers look) → handlers (one per
intent, dispatch, steps) → bot (the shell). Each floor imports only its own and the floors below it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("nlp", "models", "handlers", "bot")
# Most specific prefix first; a module's floor is the first prefix it falls under.
FLOORS = (("nlp", 1), ("models", 2), ("handlers.domain", 3), ("handlers.present", 4), ("handlers", 5), ("bot", 6))
GATEWAY = "bot.line.gateway"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


@dataclass(frozen=True)
class Edge:
    """One import statement of ours: who imports what, where, and whether it runs at import time."""

    source: str
    target: str
    line: int
    top_level: bool

    def where(self) -> str:
        """file:line and the import, for failure messages."""
        return f"{module_path(self.source).relative_to(ROOT)}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    """'bot/line/gateway.py' → 'bot.line.gateway'; a package's __init__ is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every product module by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def module_path(name: str) -> Path:
    """The file of one of our modules."""
    return modules()[name]


def _resolve(name: str) -> str | None:
    """The longest of our modules that `name` names (an attribute of a module resolves to the module)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return None


def _function_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def _imported_names(node: ast.Import | ast.ImportFrom, source: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: resolve against the importing module's package
        package = source.split(".")
        if module_path(source).name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    # `from pkg import sub` imports the submodule when there is one, else a name of pkg itself.
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base for alias in node.names]


@cache
def all_imports() -> tuple[tuple[str, str, int, bool], ...]:
    """(source module, imported name as written, line, runs at import time) for every import, ours or not."""
    rows = []
    for source, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside = _function_lines(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported_names(node, source):
                    rows.append((source, name, node.lineno, node.lineno not in inside))
    return tuple(rows)


@cache
def edges() -> tuple[Edge, ...]:
    """Imports of our own modules."""
    found = []
    for source, name, line, top in all_imports():
        target = _resolve(name)
        if target is not None and target != source:
            found.append(Edge(source, target, line, top))
    return tuple(found)


def floor(name: str) -> int:
    """The floor of one of our modules."""
    for prefix, level in FLOORS:
        if name == prefix or name.startswith(prefix + "."):
            return level
    raise AssertionError(f"{name} is on no floor")


def test_every_module_is_read() -> None:
    names = modules()
    assert "bot.line.gateway" in names and "handlers.domain.progress" in names and "nlp.parser" in names
    assert len(edges()) > 100


def test_no_module_imports_from_a_floor_above_its_own() -> None:
    upward = [e.where() for e in edges() if floor(e.target) > floor(e.source)]
    assert not upward, "\n".join(upward)


def find_circles(found: tuple[Edge, ...] | list[Edge]) -> list[str]:
    """Every import circle among the edges, each as 'a → b → a  (file:line imports …)'."""
    graph: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Edge] = {}
    for e in found:
        graph.setdefault(e.source, set()).add(e.target)
        first.setdefault((e.source, e.target), e)
    circles: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            # A package's __init__ importing its own submodules is how packages re-export; not a circle.
            if target.startswith(node + ".") and node in modules() and module_path(node).name == "__init__.py":
                continue
            if state.get(target) == 1:
                loop = [*path[path.index(target):], target]
                circles.append(" → ".join(loop) + "  (" + first[(node, target)].where() + ")")
            elif state.get(target) is None:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return circles


def test_no_import_circle() -> None:
    circles = find_circles(edges())
    assert not circles, "\n".join(circles)


def test_only_the_gateway_imports_the_messaging_client() -> None:
    others = [f"{s}:{line} imports {n}" for s, n, line, _ in all_imports()
              if (n == "linebot.v3.messaging" or n.startswith("linebot.v3.messaging.")) and s != GATEWAY]
    assert not others, "\n".join(others)


def test_nlp_imports_nothing_of_ours_outside_nlp() -> None:
    leaks = [e.where() for e in edges() if floor(e.source) == 1 and floor(e.target) != 1]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("below", ["nlp", "models", "handlers"])
def test_below_the_shell_nothing_knows_flask_or_line(below: str) -> None:
    foreign = ("flask", "werkzeug", "linebot", "apscheduler", "gunicorn")
    found = sorted({f"{s}:{line} imports {n}" for s, n, line, _ in all_imports()
                    if (s == below or s.startswith(below + ".")) and n.split(".")[0] in foreign})
    assert not found, "\n".join(found)


def test_the_domain_and_handlers_never_commit() -> None:
    """Handlers and the domain receive a session; its owner (the shell) commits or rolls back."""
    found = []
    for name, path in modules().items():
        if floor(name) in (3, 4, 5):
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if ".commit()" in text or ".rollback()" in text:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {text.strip()}")
    assert not found, "\n".join(found)


def test_dev_tooling_is_imported_only_when_development_mode_asks_for_it() -> None:
    """Outside bot.dev, nothing imports bot.dev at import time: only a function that development mode runs."""
    eager = [e.where() for e in edges()
             if e.top_level and e.target.startswith("bot.dev") and not e.source.startswith("bot.dev")]
    assert not eager, "\n".join(eager)


def test_no_product_module_is_over_300_lines() -> None:
    long = [f"{path.relative_to(ROOT)}: {n} lines" for path in modules().values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not long, "\n".join(long)


def test_no_function_is_over_60_lines() -> None:
    long = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    assert not long, "\n".join(long)


def test_the_checks_see_a_circle_and_an_upward_import() -> None:
    """The checks themselves: imports inside functions and `from pkg import sub` are edges; a loop is found."""
    tree = ast.parse("def f():\n    from handlers.domain import progress\nimport bot.line.gateway\n")
    assert _function_lines(tree) == {2}
    names = [n for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
             for n in _imported_names(node, "nlp.parser")]
    assert sorted(names) == ["bot.line.gateway", "handlers.domain.progress"]
    assert floor(_resolve("handlers.domain.progress.compute") or "") == 3
    loop = [Edge("handlers.preferences", "bot.schedule.jobs", 28, False),
            Edge("bot.schedule.jobs", "handlers.dispatch", 20, True),
            Edge("handlers.dispatch", "handlers.preferences", 30, True)]
    [circle] = find_circles(loop)
    assert circle.startswith("bot.schedule.jobs → handlers.dispatch → handlers.preferences → bot.schedule.jobs")
    assert floor(loop[0].target) > floor(loop[0].source)  # and the first edge is an upward import
