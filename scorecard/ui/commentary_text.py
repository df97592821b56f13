"""Commentary as every output shows it: plain text or a small, safe part of Markdown.

Officers write a footnote in the browser, on the command line or in a file; anyone who
can write one could try to put a script in front of every councillor. So commentary is
never shown as written: it is rendered once here, and every output uses this module.

- `commentary_html(text)`: Markdown rendered by markdown-it-py with raw HTML off (a
  `<script>` typed in is text, not a tag), then cleaned by nh3 (ammonia) down to
  paragraphs, bold, italic, lists, line breaks and links to http, https or mailto
  addresses. The PDF pack uses it, as WeasyPrint lays out HTML.
- `commentary_components(text)`: the same cleaned HTML as Dash components (the scorecard
  table, the indicator page, the briefing, the edit page), never `dangerously_allow_html`.
- `commentary_plain(text)`: the words alone, a link as "words (address)", for the
  workbook (whose cells `excel_cells.write_cell` keeps from being read as formulas) and
  for finding the glossary terms a comment uses.
"""
from __future__ import annotations

import functools
from html.parser import HTMLParser

import nh3
from dash import html
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "strong", "em", "ul", "ol", "li", "a", "br"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# What Markdown offers beyond the subset, switched off so that it stays the text typed
# (a '# ' at the start of a line is not a heading that would dwarf the figure beside it).
_OFF = ["heading", "lheading", "code", "fence", "blockquote", "hr", "html_block", "html_inline", "image",
        "backticks", "table", "strikethrough"]

_COMPONENTS = {"p": html.P, "strong": html.Strong, "em": html.Em, "ul": html.Ul, "ol": html.Ol, "li": html.Li,
               "a": html.A}


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
        _OFF, ignoreInvalid=True)


@functools.lru_cache(maxsize=2048)
def commentary_html(text: str | None) -> str:
    """The comment as safe HTML: only the allowed tags, links only to http, https and mailto."""
    if not text:
        return ""
    rendered = _markdown().render(str(text))
    return nh3.clean(rendered, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True,
                     attribute_filter=_absolute_links_only).strip()


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """nh3 keeps relative addresses, which mean nothing in a pack or a workbook (and
    'java%09script:' is one): a link must name its scheme, one of URL_SCHEMES."""
    if attribute == "href":
        scheme, colon, _rest = value.partition(":")
        return value if colon and scheme.lower() in URL_SCHEMES else None
    return value


class _Tree(HTMLParser):
    """The cleaned HTML as nested (tag, attributes, children) with text as strings.

    It reads only what `commentary_html` let through: any other tag is dropped (its text
    kept), so nothing unexpected can reach a component even if the allowlist changed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self._open: list[tuple[str, dict, list]] = []

    def _children(self) -> list:
        return self._open[-1][2] if self._open else self.root

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._children().append(("br", {}, []))
        elif tag in _COMPONENTS:
            node = (tag, {k: v for k, v in attrs if k in ALLOWED_ATTRIBUTES.get(tag, ()) and v}, [])
            self._children().append(node)
            self._open.append(node)

    def handle_endtag(self, tag):
        if tag in _COMPONENTS and self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        self._children().append(data)


def _tree(text: str | None) -> list:
    parser = _Tree()
    parser.feed(commentary_html(text))
    parser.close()
    return parser.root


def _component(node):
    if isinstance(node, str):
        return node
    tag, attributes, children = node
    if tag == "br":
        return html.Br()
    parts = [_component(child) for child in children if not (isinstance(child, str) and not child.strip()
                                                              and tag in ("ul", "ol"))]
    if tag == "a":
        if not attributes.get("href"):  # its address was not allowed: the words alone
            return html.Span(parts)
        return html.A(parts, href=attributes["href"], rel=LINK_REL, className="commentary-link")
    return _COMPONENTS[tag](parts)


def commentary_components(text: str | None) -> list:
    """The comment as Dash components (paragraphs, lists, bold, italic, links)."""
    return [_component(node) for node in _tree(text) if not (isinstance(node, str) and not node.strip())]


def _plain(nodes: list, inside: str = "") -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            # The line breaks between block tags are the HTML's, not the writer's.
            parts.append(node if inside not in ("", "ul", "ol") else node.strip(" \n"))
            continue
        tag, attributes, children = node
        inner = _plain(children, tag)
        if tag == "br":
            parts.append("\n")
        elif tag == "a":
            href = attributes.get("href", "")
            address = href.removeprefix("mailto:")
            parts.append(inner if not href or inner.strip() == address else f"{inner} ({address})")
        elif tag == "li":
            parts.append(f"\u2022 {inner.strip()}\n")
        elif tag in ("p", "ul", "ol"):
            parts.append(f"{inner.strip()}\n\n")
        else:
            parts.append(inner)
    return "".join(parts)


def commentary_plain(text: str | None) -> str:
    """The comment's words without markup: paragraphs apart, list items on their own lines
    starting '\u2022 ', a link as 'words (address)'."""
    return "\n".join(line.strip() for line in _plain(_tree(text)).strip().split("\n"))
