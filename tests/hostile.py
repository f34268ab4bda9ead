"""Adversarial articles: a generator of hostile inputs, and the checks their output must pass.

Each `Case` is one file (name and bytes) to put alone in a store. Payloads are placed in
every format where they make sense: a `.txt` headline and body, a `.md` file's front matter,
headings, links, quotes and code, an `.html` page's <title>, meta tags, JSON-LD and body.
Every case carries a unique search word (`word`) so `search` can find it.

`problems(...)` inspects a command's stdout and returns what is wrong with it: any ESC that
is not newscli's own SGR or OSC 8 (to a URL the output also prints as text), any C0/C1
control, bidi override/isolate or zero-width character, and leftovers of an article's
escape sequences (an OSC 52 payload, a window title, a hidden hyperlink target).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# -- payloads -------------------------------------------------------------------------------------
ESC = "\x1b"
OSC8_EVIL = "evil-osc8.example"
RICH_LINK = "[link=https://evil-markup.example]x[/link]"


@dataclass(frozen=True)
class Payload:
    """A hostile string, and the text that must never be visible once it is rendered
    (`residue`: parts of escape sequences that are removed whole, never shown)."""

    name: str
    text: str
    residue: tuple[str, ...] = ()
    # Text that must be shown literally (Rich markup printed, not interpreted).
    literal: tuple[str, ...] = ()


PAYLOADS: tuple[Payload, ...] = (
    Payload(
        "csi-colour", f"{ESC}[31mRED{ESC}[0m {ESC}[1;5;7mblink{ESC}[m", ("[31m", "[1;5;7m")
    ),
    Payload(
        "csi-cursor",
        f"{ESC}[2J{ESC}[H{ESC}[10;10H{ESC}[1A{ESC}[K{ESC}[?1049h",
        ("[2J", "[?1049h"),
    ),
    Payload("osc0-title", f"{ESC}]0;PWNED-TITLE-ZERO\x07after", ("PWNED-TITLE-ZERO",)),
    Payload("osc2-title", f"{ESC}]2;PWNED-TITLE-TWO{ESC}\\after", ("PWNED-TITLE-TWO",)),
    Payload("osc52-clipboard", f"{ESC}]52;c;Y3VybCBldmlsfHNo\x07", ("Y3VybCBldmlsfHNo",)),
    Payload(
        "osc8-hyperlink",
        f"{ESC}]8;;https://{OSC8_EVIL}/steal{ESC}\\https://bank.example/login{ESC}]8;;{ESC}\\",
        (OSC8_EVIL,),
    ),
    Payload(
        "dcs", f"{ESC}P1$qmDCSPAYLOAD{ESC}\\ {ESC}_APCPAYLOAD{ESC}\\", ("DCSPAYLOAD", "APCPAYLOAD")
    ),
    Payload("unterminated-osc", f"text {ESC}]0;PWNED-UNTERMINATED", ("PWNED-UNTERMINATED",)),
    Payload("c1-csi", "\x9b31mC1RED\x9b0m", ("31mC1RED",)),
    Payload(
        "c1-osc", "\x9d0;PWNED-C1-TITLE\x9c\x9d52;c;QzFjbGlw\x07", ("PWNED-C1-TITLE", "QzFjbGlw")
    ),
    Payload("c0-bytes", "".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)) + "\x7fend"),
    Payload("bidi", "safe\u202egnp.exe\u202c \u202aa\u202bb\u202dc\u2066d\u2067e\u2068f\u2069g"),
    Payload("zero-width", "zero\u200bwidth\u2060joiner\ufeffbom"),
    Payload("rich-markup", f"{RICH_LINK} [/] [bold red]loud[/bold red] [bold", (), (RICH_LINK,)),
    Payload(
        "md-links",
        "[js-link](javascript:alert(1)) [file-link](file:///etc/passwd) "
        "[data-link](data:text/html,<script>alert(1)</script>) [ok-link](https://ok.example/a)",
    ),
    Payload("long-word", "A" * 100_000),
)

# A link to anything but http(s)/mailto, in any output: a numbered reference "[n] target",
# an unescaped Markdown link "](target)" / "](<target>)", or a JSON "url" value. (Such
# text shown literally, e.g. a .txt article's "[x](javascript:…)", is not a link.)
LISTED_UNSAFE = re.compile(r"^\s*\[\d+\]\s+(?!https?:|mailto:)[a-z][a-z0-9+.-]*:", re.I | re.M)
MARKDOWN_UNSAFE = re.compile(r"(?<!\\)\]\(<?\s*(?:javascript|file|data|vbscript):", re.I)
_CODE = re.compile(r"^(```|~~~~)\n.*?^\1$|`[^`\n]*`", re.M | re.S)  # code shows text as is
JSON_UNSAFE = re.compile(r'"url":\s*"(?!https?:|mailto:)[^"]+"', re.I)


@dataclass
class Case:
    """One hostile file: where it goes in a store and its bytes."""

    name: str
    filename: str | bytes  # bytes for names that are not valid UTF-8
    data: bytes
    word: str
    payload: Payload | None = None
    kind: str = "txt"
    residue: tuple[str, ...] = ()
    literal: tuple[str, ...] = ()
    tags: set[str] = field(default_factory=set)

    @property
    def suffix(self) -> str:
        name = self.filename if isinstance(self.filename, str) else self.filename.decode("latin-1")
        return name.rsplit(".", 1)[-1]


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are valid YAML ones, \\u001b included)."""
    return json.dumps(text, ensure_ascii=True)


def txt_article(payload: str, word: str) -> str:
    return (
        f"Headline {payload} {word}\n\n"
        f"By {payload}\n\n"
        f"The body mentions {word} and carries {payload} in the middle of a sentence that is "
        "long enough to be a paragraph of an ordinary article.\n\n"
        f"Section {payload}\n\n"
        f"Another paragraph with {payload}, then more words so that it reads as prose.\n\n"
        f"ALSO READ: {payload} https://ok.example/related\n"
    )


def md_article(payload: str, word: str) -> str:
    return (
        "---\n"
        f"title: {_yaml_quoted(f'Title {payload} {word}')}\n"
        f"byline: {_yaml_quoted(payload)}\n"
        f"source: {_yaml_quoted(payload)}\n"
        "url: https://ok.example/story\n"
        f"tags: [{_yaml_quoted(payload)}, news]\n"
        f"note: {_yaml_quoted(payload)}\n"
        "---\n\n"
        f"# Heading {payload}\n\n"
        f"Body with {word} and {payload} inline, *emphasis {payload}* and "
        f"[a link {payload}](https://ok.example/{word}).\n\n"
        f"> Quoted {payload}\n\n"
        f"- item {payload}\n- second item\n\n"
        f"```\ncode {payload}\n```\n\n"
        f"| col {payload} | b |\n|---|---|\n| {payload} | cell |\n\n"
        f"Read more: [{payload}](https://ok.example/more)\n"
    )


def html_article(payload: str, word: str) -> str:
    attr = html.escape(payload, quote=True)
    body = html.escape(payload, quote=False)
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": f"LD {payload} {word}",
            "author": {"@type": "Person", "name": payload},
            "publisher": {"@type": "Organization", "name": payload},
            "keywords": [payload, "news"],
            "datePublished": payload,
            "url": "https://ok.example/ld",
        }
    ).replace("</", "<\\/")
    paragraph = (
        f"<p>The body mentions {word} and carries {body} in the middle of a sentence "
        "that is long enough to be a paragraph of an ordinary news article.</p>"
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{body} {word}</title>"
        f"<meta property='og:title' content=\"{attr} {word}\">"
        f"<meta name='author' content=\"{attr}\">"
        f"<meta property='og:site_name' content=\"{attr}\">"
        f"<meta name='keywords' content=\"{attr}\">"
        f"<meta name='description' content=\"{attr}\">"
        f"<script type='application/ld+json'>{ld}</script>"
        "</head><body><article>"
        f"<h1>{body} {word}</h1><p class='byline'>By {body}</p>"
        + paragraph * 3
        + f"<h2>Section {body}</h2>"
        f"<p>Link <a href='https://ok.example/{word}'>{body}</a> and "
        f"<a href='javascript:alert(1)'>js-anchor</a> "
        f"<a href='file:///etc/passwd'>file-anchor</a> "
        f"<a href='data:text/html,x'>data-anchor</a>.</p>"
        f"<blockquote>{body}</blockquote><ul><li>{body}</li></ul>"
        + paragraph
        + "</article></body></html>"
    )


BUILDERS = {"txt": txt_article, "md": md_article, "html": html_article}


def _word(n: int) -> str:
    return "hostileword" + "".join("abcdefghij"[int(d)] for d in str(n))


# -- front matter that is itself the attack -------------------------------------------------------
def _front_matter_cases() -> Iterator[tuple[str, str]]:
    laughs = ["lol: &lol0 'lol'"]
    for n in range(1, 10):
        refs = ", ".join(f"*lol{n - 1}" for _ in range(10))
        laughs.append(f"lol{n}: &lol{n} [{refs}]")
    yield "yaml-bomb", "\n".join(laughs) + "\ntitle: *lol9\n"
    yield "python-tag", "title: !!python/object/apply:os.system ['echo PWNED']\n"
    yield "python-object", "title: !!python/object:collections.OrderedDict {}\n"
    yield "not-mapping-list", "- just\n- a list\n"
    yield "not-mapping-scalar", "just a scalar string\n"
    yield "huge-value", f"title: {'T' * 60_000}\nbyline: x\n"
    yield "deep-value", "title: " + "[" * 5000 + "x" + "]" * 5000 + "\n"
    yield "deep-mapping", "title:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300))
    yield "escape-keys", '"\\e]0;PWNED-KEY\\a": 1\ntitle: "\\e[31mred\\e[0m"\n'
    yield "odd-types", "title: 12\ndate: [1, 2]\ntags: {a: 1}\nurl: 5\nbyline: null\n"
    yield "unclosed", "title: never closed\n"  # no closing --- at all


def cases() -> list[Case]:
    """Every hostile input, one file each."""
    out: list[Case] = []
    n = 0

    def word() -> str:
        nonlocal n
        n += 1
        return _word(n)

    for payload in PAYLOADS:
        for kind, build in BUILDERS.items():
            w = word()
            out.append(
                Case(
                    f"{payload.name}.{kind}",
                    f"{payload.name}.{kind}",
                    build(payload.text, w).encode("utf-8"),
                    w,
                    payload,
                    kind,
                    payload.residue,
                    payload.literal,
                )
            )
    # NUL bytes: a binary file to newscli (refused with one line), in every format.
    for kind, build in BUILDERS.items():
        w = word()
        out.append(Case(f"nul.{kind}", f"nul.{kind}", build("a\x00b", w).encode(), w, kind=kind))
    # Lone surrogates as the invalid UTF-8 they would be on disk (CESU-style bytes).
    for kind, build in BUILDERS.items():
        w = word()
        data = build("sur\udcffrogate \ud800 pair", w).encode("utf-8", "surrogatepass")
        out.append(Case(f"surrogates.{kind}", f"surrogates.{kind}", data, w, kind=kind))
    # 8-bit C1 bytes in a file that is not UTF-8 (decoded as Windows-1252 or detected).
    for kind, build in BUILDERS.items():
        w = word()
        data = build("PLACEHOLDER", w).encode().replace(b"PLACEHOLDER", b"\x9b31m\x9d0;T\x9c")
        out.append(Case(f"c1-raw-bytes.{kind}", f"c1-raw-bytes.{kind}", data, w, kind=kind))
    # Character references decode to controls only after the HTML is parsed. (&#x9c; is not
    # ST: HTML maps 128-159 to windows-1252, where 0x9c is "œ"; so the OSC ends with BEL.)
    w = word()
    refs = "&#1;\t\t &#27;[31mREFRED&#x1b;[0m   &#x9d;0;PWNED-REF&#7; &#x202e;gnp &#8203;"
    data = html_article("PLACEHOLDER", w).replace("PLACEHOLDER", refs).encode()
    out.append(Case("char-references.html", "char-references.html", data, w, kind="html",
                    residue=("PWNED-REF", "[31m")))
    # Deep nesting and huge lines.
    w = word()
    deep = (
        f"<html><head><title>Deep {w}</title></head><body>"
        + "<div>" * 10_000
        + f"<p>deep text {w} " + "words " * 50 + "</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    out.append(Case("deep-nesting.html", "deep-nesting.html", deep.encode(), w, kind="html"))
    w = word()
    deep_inline = f"<html><body><p>{w} " + "<b><i>" * 5000 + "x" + "</i></b>" * 5000 + "</p>"
    out.append(
        Case("deep-inline.html", "deep-inline.html", deep_inline.encode(), w, kind="html")
    )
    w = word()
    deep_md = f"# Deep {w}\n\n" + "> " * 5000 + "quoted\n\n" + "- " * 3000 + "item\n"
    out.append(Case("deep-nesting.md", "deep-nesting.md", deep_md.encode(), w, kind="md"))
    w = word()
    big_line = f"Huge line {w}\n\n" + f"{ESC}[31m " + "word " * 2_000_000 + "\n"  # ~10 MB
    out.append(Case("ten-mb-line.txt", "ten-mb-line.txt", big_line.encode(), w, tags={"big"}))
    # Front matter that is the attack.
    for name, yaml_text in _front_matter_cases():
        w = word()
        closing = "" if name == "unclosed" else "---\n"
        text = f"---\n{yaml_text}{closing}\n# Fallback heading {w}\n\nBody {w} stays readable.\n"
        for kind in ("md", "txt"):
            out.append(Case(f"fm-{name}.{kind}", f"fm-{name}.{kind}", text.encode(), w, kind=kind,
                            residue=("PWNED",)))
    # Hostile file names (the content is ordinary).
    names: list[tuple[str, str | bytes]] = [
        ("name-esc", f"esc{ESC}[31mred{ESC}]0;PWNED-NAME\x07.txt"),
        ("name-c1", "c1\x9b31m\x9d0;x\x9c.txt"),
        ("name-bidi", "report\u202etxt.exe\u202c\u2066x\u2069.txt"),
        ("name-zero-width", "zero\u200bwidth\u2060\ufeff.md"),
        ("name-newline-tab", "line\nbreak\ttab.txt"),
        ("name-rich-markup", "[link=https:evil.example]x[bold red]y[bold.txt"),
        ("name-invalid-utf8", b"bad\x9b\xffname.txt"),
    ]
    for name, filename in names:
        w = word()
        text = txt_article("plain", w)
        out.append(Case(name, filename, text.encode(), w, kind="txt"))
    return out


# -- output checks --------------------------------------------------------------------------------
SGR = re.compile(r"\x1b\[[0-9;:]*m")
OSC8 = re.compile(r"\x1b\]8;([^;\x07\x1b]*);([^\x07\x1b]*)(?:\x1b\\|\x07)")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
SAFE_TARGET = re.compile(r"^(?:https?|mailto):[^\s\x00-\x1f\x7f-\x9f]*$")
_LISTED_URL = re.compile(r"^\s*(?:\[\d+\]\s+)?(\S+)\s*$", re.M)


def visible(out: str) -> tuple[str, list[str]]:
    """Output without newscli's own SGR and OSC 8 sequences: (text, hyperlink targets)."""
    targets = [m.group(2) for m in OSC8.finditer(out) if m.group(2)]
    return OSC8.sub("", SGR.sub("", out)), targets


def problems(
    out: str, case: Case, *, colored: bool, json_out: bool = False, markdown: bool = False
) -> list[str]:
    """What is wrong with one command's stdout for this case ([] when nothing)."""
    found: list[str] = []
    if colored:
        text, targets = visible(out)
        listed = set(_LISTED_URL.findall(text))
        for target in targets:
            if not SAFE_TARGET.match(target):
                found.append(f"OSC 8 hyperlink to an unsafe target {target[:60]!r}")
            elif target not in listed:
                found.append(f"OSC 8 hyperlink to {target[:60]!r} not printed in the link list")
    else:
        text = out
    if ESC in text:
        at = text.index(ESC)
        found.append(f"ESC in output: {text[max(0, at - 20) : at + 20]!r}")
    for pattern, what in ((CONTROLS, "control character"), (INVISIBLE, "bidi/zero-width")):
        match = pattern.search(text.replace(ESC, ""))
        if match:
            at = match.start()
            found.append(f"{what} U+{ord(match.group()):04X} in output near "
                         f"{text[max(0, at - 20) : at + 20]!r}")
    shown = text
    if json_out:
        shown = _json_without_paths(text)
    for residue in case.residue:
        if residue in shown:
            found.append(f"escape-sequence payload {residue!r} is visible")
    checks = [(LISTED_UNSAFE, text)]
    if markdown:  # the body, after the front matter (whose fields are plain text)
        checks.append((MARKDOWN_UNSAFE, _CODE.sub("", text.split("\n---\n", 1)[-1])))
    if json_out:
        checks += [(JSON_UNSAFE, text), (MARKDOWN_UNSAFE, _CODE.sub("", _json_bodies(text)))]
    for check, where in checks:
        bad = check.search(where)
        if bad:
            found.append(f"link to an unsafe target: {bad.group()[:60]!r}")
    return found


def _json_without_paths(text: str) -> str:
    """JSON output's values minus `path` (a file name, shown as is, escaped by JSON)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "path"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(data), ensure_ascii=False)


def _json_bodies(text: str) -> str:
    """The Markdown `body` values of JSON output."""
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    items = data if isinstance(data, list) else [data]
    return "\n".join(str(i.get("body", "")) for i in items if isinstance(i, dict))
