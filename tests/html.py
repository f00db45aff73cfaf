"""Reading rendered pages in route tests: elements found by their attributes, with their text.

    for link in find_all(html, "a", testid="facet-option"):
        link.attrs["href"], link.text

A small wrapper over the standard library's HTMLParser (no parser package is needed for the
handful of attributes the tests look at). `text` is the element's text with whitespace collapsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def query(self) -> dict[str, list[str]]:
        """The arguments of the element's href (for links)."""
        return parse_qs(urlsplit(self.attrs.get("href", "")).query, keep_blank_values=True)


class _Finder(HTMLParser):
    def __init__(self, tag: str | None, wanted: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.tag, self.wanted = tag, wanted
        self.found: list[Element] = []
        self.open: list[tuple[str, Element | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        matches = (self.tag is None or tag == self.tag) and all(
            _has(attributes, name, value) for name, value in self.wanted.items()
        )
        element = Element(tag, attributes) if matches else None
        if element is not None:
            self.found.append(element)
        if tag not in VOID:
            self.open.append((tag, element))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        for _, element in self.open:
            if element is not None:
                element.parts.append(data)


def _has(attributes: dict[str, str], name: str, value: str) -> bool:
    name = {"testid": "data-testid", "class_": "class"}.get(name, name.replace("_", "-"))
    if name == "class":
        return value in attributes.get("class", "").split()
    return attributes.get(name) == value


def find_all(html: str, tag: str | None = None, **attributes: str) -> list[Element]:
    """Elements of `tag` (any tag if None) whose attributes have the given values
    (`testid` means data-testid, `class_` one of the classes, other underscores are dashes)."""
    finder = _Finder(tag, attributes)
    finder.feed(html)
    finder.close()
    return finder.found


def find(html: str, tag: str | None = None, **attributes: str) -> Element:
    """The one element that matches (fails the test if there is none or several)."""
    found = find_all(html, tag, **attributes)
    assert len(found) == 1, f"{len(found)} elements match {tag} {attributes}"
    return found[0]
