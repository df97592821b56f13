"""The meeting packs: the PDF (read back with poppler's pdfinfo, pdftotext and pdftoppm),
built from the demo county's scorecard. The workbook's tests are in test_workbook.py.

Renders of the PDF are kept in test-output/packs/ for a person to look at.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import OUTPUT_DIR, missing_component

from scorecard.packs import meeting_pack, pdf_pack
from scorecard.packs.common import terms_used, trend_periods
from scorecard.ui.briefing import SECTIONS as BRIEFING_KINDS
from scorecard.ui.briefing import build_briefing
from scorecard.ui.style import rag_style
from scorecard.ui.views import (
    Comment,
    ComparatorCell,
    Row,
    Scorecard,
    ThemeGroup,
)

COUNCIL, PERIOD = "E10000099", "2025-03"
PACK_DIR = OUTPUT_DIR / "packs"
A4_LANDSCAPE = (841.89, 595.28)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing_component(f"{tool} is not installed (poppler-utils): apt-get install poppler-utils")
    return path


def run(tool: str, *args) -> str:
    return subprocess.run([poppler(tool), *map(str, args)], check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return " ".join(text.split())


# --- The demo county ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_file(card, metrics, tmp_path_factory) -> Path:
    """The pack as `scorecard pack` and the download give it: with the briefing since the last meeting."""
    started = time.perf_counter()
    data = meeting_pack("pdf", card, metrics)
    print(f"PDF pack: {time.perf_counter() - started:.2f}s, {len(data) / 1e6:.1f} MB")
    path = tmp_path_factory.mktemp("packs") / "pack.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def pdf_pages(pdf_file) -> list[str]:
    """Each page's text in layout mode."""
    return run("pdftotext", "-layout", pdf_file, "-").split("\f")[:-1]


@pytest.mark.slow
def test_the_demo_scorecard_has_what_the_packs_show(card):
    assert len(card.rows) >= 20 and card.groups
    assert any(row.commentary for row in card.rows), "the demo commentary should be loaded"
    assert any(row.rag in ("red", "amber", "green") for row in card.rows)


@pytest.mark.slow
def test_every_pdf_page_is_a4_landscape(pdf_file, card):
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf_file), re.MULTILINE).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", "-f", 1, "-l", pages, pdf_file),
                       re.MULTILINE)
    assert len(sizes) == pages > 2
    # Page 1, at least a page per theme, the glossary; and no more than a page per indicator.
    assert 2 + len(card.groups) <= pages <= 2 + sum(len(group.rows) for group in card.groups)
    for width, height in sizes:
        assert (float(width), float(height)) == pytest.approx(A4_LANDSCAPE, abs=0.5)


@pytest.mark.slow
def test_pdf_metadata_names_the_council_and_month(pdf_file, card):
    info = run("pdfinfo", pdf_file)
    assert re.search(rf"^Title:\s+.*{re.escape(card.council_name)}.*{card.period_label}", info, re.MULTILINE)
    assert re.search(rf"^Author:\s+{re.escape(card.council_name)}", info, re.MULTILINE)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)


def headings(path: Path) -> list[tuple[str, str]]:
    """(tag, text) of every heading in the structure tree, in reading order (pdfinfo -struct-text)."""
    found, current, depth = [], None, 0
    for line in run("pdfinfo", "-struct-text", path).splitlines():
        indent = len(line) - len(line.lstrip())
        tag = re.match(r"\s*(H[1-6]) ", line)
        if tag:
            current, depth = [tag.group(1), ""], indent
            found.append(current)
        elif current is not None and indent > depth:
            text = re.fullmatch(r'\s*"(.*)"', line)
            current[1] += text.group(1) if text else ""
        else:
            current = None
    return [(tag, squash(text)) for tag, text in found]


def structure(path: Path) -> list[dict]:
    """Every element of the PDF's structure tree (pypdf dictionaries), depth first."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    def walk(node):
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            yield node
            kids = node.get("/K")
            kids = kids.get_object() if kids is not None else None
            for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
                if not isinstance(kid.get_object(), int):
                    yield from walk(kid)

    return list(walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"]))


@pytest.mark.slow
def test_pdf_is_tagged_in_english_with_headings_in_reading_order(pdf_file, card):
    from pypdf import PdfReader

    catalog = PdfReader(pdf_file).trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    found = headings(pdf_file)
    assert found[0] == ("H1", (f"Scorecard for {card.period_label} {card.framework_label} · each indicator's "
                               "13-month trend, benchmarks and commentary follow, theme by theme"))
    themes = [text for tag, text in found if tag == "H2"
              and not text.startswith(("Going well", "Needs attention", "Since the last meeting"))]
    assert themes == [f"{g.label} ({len(g.rows)} indicator{'s' if len(g.rows) != 1 else ''}, {card.period_label}; "
                      "trends over the last 13 months)" for g in card.groups] + ["Glossary and how to read this pack"]
    kinds = tuple(title for _, title in BRIEFING_KINDS)
    assert [text for tag, text in found if tag == "H3" and not text.startswith(kinds)] == [
        row.label for g in card.groups for row in g.rows]
    # Each indicator's heading comes before its own parts, and after the theme it sits in.
    order = [(tag, text) for tag, text in found if tag in ("H2", "H3")]
    assert order.index(("H3", card.groups[-1].rows[0].label)) > order.index(("H2", themes[len(card.groups) - 1]))


@pytest.mark.slow
def test_pdf_leads_with_the_headline_then_what_changed_since_the_last_meeting(pdf_file, pdf_pages, card, metrics):
    assert squash(card.headline) in squash(pdf_pages[0])
    note = build_briefing(metrics, card.period)
    found = headings(pdf_file)
    assert ("H2", f"Since the last meeting: {note.since_label} to {note.period_label}") in found
    assert found.index(("H2", f"Since the last meeting: {note.since_label} to {note.period_label}")) < \
        found.index(("H3", card.rows[0].label)), "after page 1, before the themes"
    page = squash(pdf_pages[1])
    assert "Compared with January 2025, the month the scorecard at the last meeting (12 March 2025) showed" in page
    for attribute, title in BRIEFING_KINDS:
        assert f"{title} ({len(getattr(note, attribute))})" in page
        for change in getattr(note, attribute):
            assert squash(change.reason) in page


@pytest.mark.slow
def test_pdf_shows_open_improvement_actions_under_their_indicator(pdf_pages, card):
    text = squash(" ".join(pdf_pages))
    for row in card.rows:
        for action in row.open_actions:
            assert squash(f"{action.reference} {action.action}")[:60] in text
    overdue = next(page for page in pdf_pages if "CP-01" in page and "Improvement actions" in page)
    assert "Overdue." in overdue and "Delayed" in overdue
    assert "CP-02" not in squash(" ".join(pdf_pages)), "a complete action is in the workbook, not the pack"


@pytest.mark.slow
def test_pdf_tables_have_header_cells_with_their_scope(pdf_file, card, metrics):
    tree = run("pdfinfo", "-struct", pdf_file)
    note = build_briefing(metrics, card.period)
    changes = sum(bool(getattr(note, attribute)) for attribute, _ in BRIEFING_KINDS)
    actions = sum(bool(row.open_actions) for row in card.rows)
    # Page 1, each kind of change, each indicator's figures and its actions, the glossary.
    assert tree.count("Table (block)") == 1 + changes + sum(len(g.rows) for g in card.groups) + actions + 1
    cells = structure(pdf_file)
    headers = [c for c in cells if c.get("/S") == "/TH"]
    scopes = [c["/A"]["/Scope"] for c in headers]
    # The scorecard's columns, four for each kind of change, five for each actions table, the glossary's two.
    assert scopes.count("/Column") == 10 + 4 * changes + 5 * actions + 2
    assert scopes.count("/Row") >= len(card.rows) + len(card.groups)
    data = [c for c in cells if c.get("/S") == "/TD"]
    assert data and all(c["/A"]["/Headers"] for c in data)   # every data cell names its headers


@pytest.mark.slow
def test_every_chart_is_a_vector_figure_whose_alternative_text_says_its_values(pdf_file, card):
    from scorecard.metrics import format_value
    from scorecard.packs.common import trend_values
    from scorecard.ui.text import short_month

    figures = [c for c in structure(pdf_file) if c.get("/S") == "/Figure"]
    blocks = [row for group in card.groups for row in group.rows]
    assert len(figures) == len(blocks)
    periods = trend_periods(card)
    for figure, row in zip(figures, blocks, strict=True):
        alt = str(figure["/Alt"])
        assert alt.startswith(f"Chart: {row.label}, last 13 months. ")
        for period, value in zip(periods, trend_values(row, periods), strict=True):
            said = format_value(row.unit, value) if value is not None else "no figure"
            assert f"{short_month(period)}: {said}" in alt
        assert (f"Target {row.target_text}" in alt) == (row.target is not None)
    # Drawn as vector paths and text: no raster image anywhere in the file.
    assert run("pdfimages", "-list", pdf_file).strip().count("\n") == 1   # pdfimages' two header lines only


@pytest.mark.slow
def test_every_pdf_page_says_council_month_as_at_and_page_number(pdf_pages, card):
    total = len(pdf_pages)
    for number, text in enumerate(pdf_pages, start=1):
        assert f"Page {number} of {total}" in text
        assert card.as_at_text in text
        assert card.council_name in text and card.period_label in text


@pytest.mark.slow
def test_pdf_shows_every_indicator_figure_and_rating(pdf_pages, card):
    text = squash("\n".join(pdf_pages))
    for row in card.rows:
        assert row.label in text
        assert row.value_text in text
        assert rag_style(row.rag).word in text
        for cell in row.comparators:
            assert cell.text in text


@pytest.mark.slow
def test_no_indicator_is_split_across_pages(pdf_pages, card):
    """An indicator's heading, figures and commentary heading sit on one page."""
    for group in card.groups:
        for row in group.rows:
            pages = [text for text in pdf_pages[1:-1] if re.search(rf"^\s*{re.escape(row.label)}\s*$", text, re.MULTILINE)]
            assert len(pages) == 1, row.label
            page = squash(pages[0])
            heading = page.index(row.label)
            assert row.value_text in page[heading:] and row.last_month_text in page[heading:]
            assert "Commentary" in page[heading:]


@pytest.mark.slow
def test_page_one_is_the_whole_scorecard_on_one_page(pdf_file, card):
    page_one = squash(run("pdftotext", "-raw", "-f", 1, "-l", 1, pdf_file, "-"))
    for row in card.rows:
        assert row.label in page_one
    for group in card.groups:
        assert group.label in page_one
    assert f"Going well ({len(card.going_well)})" in page_one
    assert f"Needs attention ({len(card.needs_attention)})" in page_one
    assert ("older year" in page_one) == card.older_benchmarks
    if card.older_benchmarks:
        assert "Older year: A benchmark marked" in page_one


@pytest.mark.slow
def test_pdf_commentary_sits_with_its_author_and_date(pdf_file, card):
    text = squash(run("pdftotext", "-raw", pdf_file, "-"))
    commented = [row for row in card.rows if row.commentary]
    assert commented
    for row in commented:
        assert squash(row.commentary.text) in text
        assert f"— {row.commentary.author}, {row.commentary.written}" in text
    if len(commented) < len(card.rows):
        assert "No commentary for this month." in text


@pytest.mark.slow
def test_older_benchmark_footnote_is_on_the_pages_that_show_one(pdf_pages, card):
    for text in pdf_pages[1:-1]:
        shows_older = "older year)" in text
        assert ("Older year: A benchmark marked" in text) == shows_older


@pytest.mark.slow
def test_pdf_ends_with_a_glossary_of_the_acronyms_used(pdf_pages, card):
    start = next(i for i, page in enumerate(pdf_pages) if "Glossary and how to read this pack" in page)
    glossary = squash(" ".join(pdf_pages[start:]))
    assert "Glossary" in glossary
    used = dict(terms_used(card))
    assert {"SN", "RAG"} <= set(used)
    for term, meaning in used.items():
        assert f"{term} {squash(meaning)}" in glossary


@pytest.mark.slow
def test_pdf_is_the_same_every_time(card):
    assert pdf_pack(card) == pdf_pack(card)


@pytest.mark.slow
def test_pdf_renders_for_a_person_to_look_at(pdf_file, pdf_pages, card):
    """Page 1 and a theme page, in grey as a black-and-white printer would, and in colour."""
    PACK_DIR.mkdir(parents=True, exist_ok=True)
    theme_page = next(i for i, text in enumerate(pdf_pages, start=1) if any(
        row.commentary and row.label in text for row in card.groups[0].rows) and i > 1)
    for page in (1, theme_page):
        run("pdftoppm", "-r", 60, "-gray", "-png", "-singlefile", "-f", page, "-l", page, pdf_file,
            PACK_DIR / f"page-{page}-grey")
        run("pdftoppm", "-r", 100, "-png", "-singlefile", "-f", page, "-l", page, pdf_file,
            PACK_DIR / f"page-{page}-colour")
        for kind in ("grey", "colour"):
            png = PACK_DIR / f"page-{page}-{kind}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"renders in {PACK_DIR}")


# --- Without the demo store: edge cases on a hand-made scorecard ----------------------------------------

def _row(id: str, label: str, unit: str = "percent", value: float | None = 0.5, rag: str | None = "green",
         commentary: Comment | None = None, sparkline=None) -> Row:
    cells = tuple(ComparatorCell(name, label_, short, None, "Not yet published", "not_yet_published", "")
                  for name, label_, short in (("statistical_neighbours", "Statistical neighbours", "SN"),
                                              ("england", "England", "England"), ("region", "Region", "Region")))
    periods = [f"{2024 + (m >= 12)}-{m % 12 + 1:02d}" for m in range(2, 15)]
    return Row(id=id, label=label, unit=unit, polarity="higher", value=value,
               value_text="Hidden (small number)" if value is None else f"{value * 100:.1f}%",
               counts_text="", rag=rag, rag_text=rag_style(rag).word, rag_reason="", last_month_text="No figure",
               month_direction=None, month_direction_text="", last_year_text="No figure", year_direction=None,
               year_direction_text="", target=0.6, target_text="60.0%", comparators=cells,
               sparkline=tuple(sparkline if sparkline is not None else [(p, None) for p in periods]),
               commentary=commentary, note="", extract_ids=())


def _small_card() -> Scorecard:
    periods = [f"{2024 + (m >= 12)}-{m % 12 + 1:02d}" for m in range(2, 15)]
    hidden = _row("iha_in_timescale", "Initial health assessments (IHA) in timescale", value=None, rag="too_few",
                  commentary=Comment("Few children came into care; the RHI and IHA teams are fine.", "A & B <Nurse>",
                                     "4 April 2025", "2025-03"))
    full = _row("dental_checks", "Dental check in the last 12 months", value=0.9,
                sparkline=[(p, 0.8 + i / 100 if i != 4 else None) for i, p in enumerate(periods)])
    group = ThemeGroup("health", "Health: checks / assessments [all]?", (hidden, full))
    return Scorecard(council_code=COUNCIL, council_name="Testshire", period="2025-03", period_label="March 2025",
                     as_at_text="Data as at 31 March 2025", framework="2021", framework_label="Themes from 2021",
                     theme=None, groups=(group,), going_well=(full,), needs_attention=(), older_benchmarks=False,
                     periods=("2025-03",), frameworks=(), themes=())


def test_packs_of_a_small_scorecard_with_hidden_figures(tmp_path):
    card = _small_card()
    path = tmp_path / "small.pdf"
    path.write_bytes(pdf_pack(card))
    text = squash(run("pdftotext", "-raw", path, "-"))
    assert "Hidden (small number)" in text and "Too few to rate" in text
    assert "— A & B <Nurse>, 4 April 2025" in text
    assert "RHI: Return home interview" in text       # an acronym in the commentary, explained beside it
    assert "Page 1 of" in text and "Older year" not in text


def _card_with_an_older_benchmark() -> Scorecard:
    """Two themes: the first shows an older year's England figure, the second none."""
    card = _small_card()
    hidden, full = card.groups[0].rows
    older = ComparatorCell("england", "England", "England", 0.41, "41.0% (2017/18, older year)", "older", "")
    dated = replace(full, comparators=(full.comparators[0], older, full.comparators[2]))
    visits = _row("visits_in_timescale", "Statutory visits in timescale", value=0.88, rag="amber")
    return replace(card, groups=(ThemeGroup("health", "Health", (hidden, dated)),
                                 ThemeGroup("visits", "Visits", (visits,))), older_benchmarks=True)


def test_older_year_footnote_is_only_on_the_pages_that_show_one(tmp_path):
    path = tmp_path / "older.pdf"
    path.write_bytes(pdf_pack(_card_with_an_older_benchmark()))
    pages = run("pdftotext", "-layout", path, "-").split("\f")[:-1]
    assert len(pages) == 4   # the scorecard, Health, Visits, the glossary
    assert ["(2017/18," in text for text in pages] == [True, True, False, False]   # the older figure
    assert ["Older year: A benchmark marked" in text for text in pages] == [True, True, False, False]


def test_a_pack_section_is_a_function_returning_html(tmp_path):
    """How the briefing or an action log joins the pack: a section function, escaped text."""
    from scorecard.packs.pdf import SECTIONS
    from scorecard.packs.pdf_layout import escape

    def since_last_meeting(context) -> str:
        return (f'<section class="theme-section"><h2>Since the last meeting</h2>'
                f"<p>{escape(f'{len(context.card.rows)} indicators <compared> & listed')}</p></section>")

    card = replace(_small_card(), council_name='Test "</style> & <b>shire')   # text, never markup
    path = tmp_path / "sections.pdf"
    path.write_bytes(pdf_pack(card, sections=(SECTIONS[0], since_last_meeting, *SECTIONS[1:])))
    found = [text for tag, text in headings(path) if tag == "H2"]
    assert found.index("Since the last meeting") < found.index(next(t for t in found if t.startswith("Health")))
    page_two = run("pdftotext", "-f", 2, "-l", 2, path, "-")
    assert "2 indicators <compared> & listed" in page_two
    assert 'Test "</style> & <b>shire' in page_two   # in the page header, from the stylesheet



def test_trend_periods_are_the_thirteen_months_to_the_pack_month():
    card = _small_card()
    assert trend_periods(card)[0] == "2024-03" and trend_periods(card)[-1] == "2025-03"
    assert len(trend_periods(card)) == 13
    assert dt.date(2025, 3, 1).strftime("%b %Y") == "Mar 2025"


def test_a_trend_chart_is_svg_with_every_value_written_on_it():
    from xml.etree import ElementTree

    from scorecard.packs.pdf_svg import trend_svg

    months = [f"{name} {2024 + (i >= 10)}" for i, name in enumerate(
        ("Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"))]
    values = [0.5 + i / 100 for i in range(13)]
    values[4] = None
    svg = ElementTree.fromstring(trend_svg(values, months, "percent", target=0.6, breaks={8: "new definition"}))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    for value in values:
        assert ("no figure" if value is None else f"{value * 100:.1f}%") in texts
    assert texts.count("Mar") == 2 and texts.count("2024") == 1 and texts.count("2025") == 1   # years once each
    assert "Target 60.0%" in texts and "Series break" in texts
    assert len(svg.findall("{http://www.w3.org/2000/svg}polyline")) == 2   # the line breaks at the gap


def test_a_machine_without_pango_gets_a_clear_refusal(monkeypatch):
    """WeasyPrint installs from PyPI but needs the system's pango: without it, the pack says
    what to install instead of failing halfway with a traceback."""
    import importlib.abc
    import sys

    from scorecard.packs import PackUnavailable

    class NoPango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0'")

    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    with pytest.raises(PackUnavailable, match="apt-get install libpango-1.0-0"):
        pdf_pack(_small_card())
