"""Reduce an HTML page to the text a browser's "save as text" gives.

Block elements become line breaks (paragraphs and headings a blank line), list items become
"  • " bullets (or "1. " in numbered lists), scripts, styles and navigation are dropped, and
entities are decoded. Images print their alt text, as the House's pages show "Photo - NAME".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DROPPED = _names(
    "script style noscript template nav head title svg math iframe object select datalist"
)
_VOID = _names("area base br col embed hr img input link meta param source track wbr keygen")
_PARAGRAPHS = _names("p h1 h2 h3 h4 h5 h6 pre blockquote table figure hr")
_BLOCKS = _names(
    "address article aside body caption center dd details dialog div dl dt fieldset "
    "figcaption footer form header hgroup legend li main menu ol option section "
    "summary tbody tfoot thead tr ul"
)
_CELLS = frozenset(("td", "th"))
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _TextWriter(HTMLParser):
    """Collects the visible text of a page, one block per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pending_breaks = 0
        self.line_start = True
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.pre_depth = 0
        self.lists: list[list] = []  # [tag, next number] for each open <ul>/<ol>
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping(tag, opening=True):
            return
        names = {name for name, _ in attrs}
        if tag not in _VOID and (tag in _DROPPED or "hidden" in names):
            self.skip_tag, self.skip_depth = tag, 1
            return
        self._open(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is None and tag in _VOID:
            self._open(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping(tag, opening=False):
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "li":
            self.prefix = ""
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _BLOCKS:
            self._break(1)

    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None:
            return
        self._write(data)

    def _skipping(self, tag: str, opening: bool) -> bool:
        """Track nesting inside a dropped element; True while inside one."""
        if self.skip_tag is None:
            return False
        if tag == self.skip_tag:
            self.skip_depth += 1 if opening else -1
            if self.skip_depth <= 0:
                self.skip_tag = None
        return True

    def _open(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "br":
            self._newline()
        elif tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self._write(alt)
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 1])
            self._break(1)
        elif tag == "li":
            self._break(1)
            self.prefix = self._bullet()
        elif tag in _CELLS:
            self._write(" ")
        elif tag in _PARAGRAPHS:
            self._break(2)
            if tag == "pre":
                self.pre_depth += 1
        elif tag in _BLOCKS:
            self._break(1)

    def _bullet(self) -> str:
        if not self.lists:
            return "  • "
        kind = self.lists[-1]
        indent = "  " * (len(self.lists) - 1)
        if kind[0] == "ol":
            kind[1] += 1
            return f"{indent}{kind[1] - 1}. "
        return f"{indent}  • "

    def _break(self, count: int) -> None:
        if self.parts:
            self.pending_breaks = max(self.pending_breaks, count)

    def _newline(self) -> None:
        self.pending_breaks = 0
        self.parts.append("\n")
        self.line_start = True

    def _write(self, data: str) -> None:
        if not self.pre_depth:
            data = _SPACES.sub(" ", data)
            if self.line_start or self.pending_breaks:
                data = data.lstrip(" ")
            if not data:
                return
        if self.pending_breaks:
            self.parts.append("\n" * self.pending_breaks)
            self.pending_breaks = 0
            self.line_start = True
        if self.line_start and self.prefix:
            data = self.prefix + data
            self.prefix = ""
        self.parts.append(data)
        self.line_start = data.endswith("\n")


def html_to_text(html: str) -> str:
    """The text of an HTML page, laid out the way a browser saves a page as text."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    lines = [line.rstrip() for line in "".join(writer.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
