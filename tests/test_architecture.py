"""The shape of the code, as the README's layout promises it: data flows one way, SQL lives
in the catalog (and the state store) only, nothing imports a layer above it, no cycles,
and start-up stays lean."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "newscli"

# Lower number = lower layer. A module may import its own layer or lower ones only.
LAYERS = {
    "newscli": 0, "newscli.errors": 0, "newscli.model": 0, "newscli.records": 0,
    "newscli.sanitize": 0,
    "newscli.urls": 0, "newscli.keys": 0, "newscli.dates": 0, "newscli.config": 0,
    "newscli.textio": 0,
    "newscli.formats": 1, "newscli.store": 1, "newscli.query": 1, "newscli.extract": 1,
    "newscli.fetch": 1,
    "newscli.catalog": 2, "newscli.state": 2, "newscli.importer": 2, "newscli.feeds": 2,
    "newscli.service": 3,
    "newscli.listing": 4, "newscli.render": 4, "newscli.output": 4,
    "newscli.context": 5, "newscli.commands": 5, "newscli.tui": 5, "newscli.cli": 6,
    "newscli.__main__": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(name: str) -> int:
    while name not in LAYERS:
        name = name.rpartition(".")[0]
    return LAYERS[name]


def imports(path: Path) -> set[str]:
    """Every newscli module this file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("newscli")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
            "newscli"
        ):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py")
                found.add(candidate if is_module.exists() else node.module)
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))
GRAPH = {module_name(p): imports(p) for p in SOURCES}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_module_imports_a_layer_above_it(name: str) -> None:
    above = [m for m in GRAPH[name] if layer(m) > layer(name)]
    assert above == [], f"{name} (layer {layer(name)}) imports {above}"


def test_the_model_imports_nothing_of_newscli() -> None:
    assert GRAPH["newscli.model"] == {"newscli.records"}
    assert GRAPH["newscli.records"] == set()


def test_no_import_cycles() -> None:
    seen: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, trail: list[str]) -> None:
        seen[name] = 1
        for nxt in sorted(GRAPH.get(name, ())):
            if nxt == name or nxt not in GRAPH:
                continue
            # a package importing its own submodule is the package's own business
            if nxt.startswith(name + "."):
                continue
            if seen.get(nxt) == 1 and not name.startswith(nxt + "."):
                pytest.fail(" → ".join([*trail, name, nxt]))
            if nxt not in seen:
                visit(nxt, [*trail, name])
        seen[name] = 2

    for name in sorted(GRAPH):
        if name not in seen:
            visit(name, [])


def test_sql_lives_in_the_catalog_and_the_state_store_only() -> None:
    allowed = {PACKAGE / "state.py", *(PACKAGE / "catalog").rglob("*.py")}
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for p in SOURCES
        if p not in allowed
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "sqlite3" in line or ".execute(" in line
    ]
    assert offenders == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_is_too_long_to_read(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def loaded_by(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    return set(out.stdout.split())


def test_importing_the_model_loads_no_database() -> None:
    assert "sqlite3" not in loaded_by("import newscli.model")


def test_listing_loads_no_article_model_renderer_or_parser(store: Path) -> None:
    """`list` and `search` piped, on a built index, stay lean: no dataclass-built model, no
    Rich console, no HTML or YAML parsers, no HTTP."""
    loaded_by(f"from newscli.cli import cli\ncli(['--store', {str(store)!r}, 'index'])")
    for command in (["list"], ["search", "council"]):
        modules = loaded_by(
            "from newscli.cli import cli\n"
            f"try:\n    cli(['--store', {str(store)!r}, *{command!r}], prog_name='newscli')\n"
            "except SystemExit:\n    pass"
        )
        heavy = {"newscli.model", "dataclasses", "rich.console", "lxml", "yaml", "httpx",
                 "textual", "html2text"}
        assert heavy & modules == set(), command


def test_help_loads_no_catalog_renderer_or_http() -> None:
    modules = loaded_by(
        "from newscli.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='newscli')\nexcept SystemExit:\n    pass"
    )
    heavy = {"sqlite3", "rich.console", "httpx", "lxml", "html2text", "yaml", "textual",
             "newscli.model", "dataclasses"}
    assert heavy & modules == set()
