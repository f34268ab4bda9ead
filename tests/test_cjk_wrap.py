"""Chinese and Japanese paragraphs wrap by their line-breaking rules, styled or plain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from newscli.render import _NO_END, _NO_START

PARAGRAPH = ("北京举行了一年一度的国际马拉松比赛，来自世界各地的三万名选手参加了比赛。"
             "组委会（UFAA）表示，今年的参赛人数创下了历史新高？“这是我们的骄傲。”"
             "一位选手说。東京では桜が満開になりました。")
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


@pytest.mark.parametrize("width", [20, 27, 33, 40])
@pytest.mark.parametrize("style", [["--format", "text"], ["--color", "always"]])
def test_cjk_lines_follow_line_breaking_rules(tmp_path: Path, run, width: int,  # type: ignore[no-untyped-def]
                                              style: list[str]) -> None:
    store = tmp_path / "s"
    store.mkdir()
    (store / "marathon.txt").write_text(f"北京举行马拉松比赛\n\n{PARAGRAPH}\n", encoding="utf-8")
    result = run(store, "read", "marathon", "--width", str(width), "--no-related", *style)
    assert result.exit_code == 0, result.stderr
    lines = ANSI.sub("", result.stdout).split("\n")
    body = lines[lines.index("1 min read") + 2 :]
    body = [line.rstrip() for line in body if line.strip()]
    assert "".join(body) == PARAGRAPH  # nothing lost, nothing added
    assert all(cell_len(line) <= width for line in body)
    assert len(body) > 1
    for line in body[1:]:
        assert line[0] not in _NO_START, line  # no line opens with closing punctuation
    for line in body[:-1]:
        assert line[-1] not in _NO_END, line  # none ends with an opening one
    assert any("（UFAA）" in line for line in body)  # the bracketed word stays whole
