from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from newscli.cli import cli

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "articles"
SEED = REPO.parent / "shared" / "seed" / "000_c888cdb0bf51e955.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test starts from the same terminal and config: no colour overrides, no store,
    a private config and cache dir, and no pager."""
    for name in (
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",
        "LINES",
        "NEWSCLI_STORE",
        "PAGER",
        "NEWSCLI_PAGER",
        "NEWSCLI_MAX_ARTICLE_BYTES",
        "TERM",
    ):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    (home / "config.toml").write_text("")  # an empty config (a missing one is warned about)
    monkeypatch.setenv("NEWSCLI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A copy of the bundled store, so tests can change it freely."""
    target = tmp_path / "store"
    shutil.copytree(BUNDLED, target, ignore=shutil.ignore_patterns(".newscli"))
    return target


@pytest.fixture
def run():
    """Run the real CLI in-process: run(store, 'list', '--json') → Result with separate
    stdout and stderr."""

    def invoke(store: Path | None, *args: str, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        prefix = ["--store", str(store)] if store is not None else []
        return runner.invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""

    def check(name: str, text: str) -> None:
        path = REPO / "tests" / "golden" / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8")

    return check


# `pytest --hypothesis-profile=deep` for a longer search than the default run's.
settings.register_profile("deep", max_examples=2000, deadline=None)
