"""The help and the README are part of the interface: keep them honest."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from newscli import __version__
from newscli.cli import COMMANDS, cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_examples_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "-h"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"newscli {name}" in result.output
    assert f"`newscli {name}" in README


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"newscli, version {__version__}\n"


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    block = re.search(r"```sh\n(.*?)\n```", README, re.S)
    assert block is not None and README.index(block.group(0)) < 400
    run_line, test_line = block.group(1).splitlines()
    assert "newscli" in run_line and "articles" in run_line
    assert test_line in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in test_line


def test_licence_is_stated_in_setup_cfg_and_readme() -> None:
    assert "license = GPL-3.0-or-later" in (REPO / "setup.cfg").read_text(encoding="utf-8")
    assert "GPL-3.0-or-later" in README
