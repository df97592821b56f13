"""What a head of service sees beyond a sub-committee member: the same pages and packs with
the small numbers shown, and said to be not for publication on the page, on every page
of the PDF, on every sheet of the workbook and in the file's name; viewers keep the
public figures, whatever was built for a manager before them."""
from __future__ import annotations

import io
import shutil

import pytest

from scorecard import store
from scorecard.access import Identity, Role, acting_as
from scorecard.metrics import cache as metrics_cache
from scorecard.ui.briefing import briefing_text, build_briefing
from scorecard.ui.indicator_view import build_indicator
from scorecard.ui.views import build_scorecard, public_for

VIEWER, MANAGER = Identity("viewer", Role.VIEWER), Identity("manager", Role.MANAGER)
ANALYST, ADMIN = Identity("analyst", Role.ANALYST), Identity("admin", Role.ADMIN)
PERIOD = "2025-03"


def test_only_those_with_the_small_numbers_permission_see_them():
    assert public_for(None) and public_for(VIEWER)
    assert not any(public_for(who) for who in (MANAGER, ANALYST, ADMIN))


def _hidden_groups(page):
    return {g.group: g for g in page.breakdown.groups if g.value is None and g.note.startswith("suppressed")}


def test_the_indicator_page_shows_a_manager_the_groups_a_viewer_sees_hidden(metrics):
    viewer = build_indicator(metrics, "iha_in_timescale", PERIOD, "area", public=public_for(VIEWER))
    manager = build_indicator(metrics, "iha_in_timescale", PERIOD, "area", public=public_for(MANAGER))
    hidden = _hidden_groups(viewer)
    assert hidden, "the demo's March 2025 IHA by area has small groups"
    shown = {g.group: g for g in manager.breakdown.groups}
    for group, cell in hidden.items():
        assert cell.value_text.startswith("Hidden")
        assert shown[group].value is not None and not shown[group].value_text.startswith("Hidden")
    assert viewer.marking == "" and viewer.public
    assert manager.marking.startswith("Not for publication: includes numbers under 5")


def test_a_viewer_is_never_served_what_was_built_for_a_manager(metrics):
    """Breakdowns are kept once computed: the key holds `public`, so the order of visits
    does not matter."""
    first = _hidden_groups(build_indicator(metrics, "iha_in_timescale", PERIOD, "area", public=True))
    build_indicator(metrics, "iha_in_timescale", PERIOD, "area", public=False)
    again = _hidden_groups(build_indicator(metrics, "iha_in_timescale", PERIOD, "area", public=True))
    assert set(again) == set(first) and again
    groups = metrics.breakdowns("iha_in_timescale", [PERIOD], public=True)
    assert groups["value"].isna().any()
    assert metrics.breakdowns("iha_in_timescale", [PERIOD], public=False)["value"].notna().all()


def test_the_drill_down_shows_a_manager_every_cell(metrics):
    viewer = build_indicator(metrics, "iha_in_timescale", PERIOD, "area", by="age_band", view="trend", public=True)
    manager = build_indicator(metrics, "iha_in_timescale", PERIOD, "area", by="age_band", view="trend", public=False)
    viewer_cells = [c for row in viewer.two_way.cells for c in row] + \
        [c for line in viewer.group_trend.lines for c in line.cells]
    manager_cells = [c for row in manager.two_way.cells for c in row] + \
        [c for line in manager.group_trend.lines for c in line.cells]
    assert any(c.value_text.startswith(("Hidden", "Not shown")) for c in viewer_cells)
    assert not any(c.value_text.startswith(("Hidden", "Not shown")) for c in manager_cells)


def test_the_scorecard_and_briefing_say_when_they_show_small_numbers(metrics):
    viewer, manager = build_scorecard(metrics, PERIOD, public=True), build_scorecard(metrics, PERIOD, public=False)
    assert (viewer.public, viewer.marking) == (True, "")
    assert not manager.public and "not for publication" in manager.marking.lower()
    assert [r.id for r in viewer.rows] == [r.id for r in manager.rows]
    note = build_briefing(metrics, PERIOD, public=False)
    assert briefing_text(note).splitlines()[1] == note.marking
    assert build_briefing(metrics, PERIOD).marking == ""


# --- the pages, their packs and the downloads' audit, over a copy of the demo store ----------

@pytest.fixture(scope="module")
def demo_copy(demo_app, demo_database_url, tmp_path_factory):
    """The demo store copied, so the exports this module records stay out of the shared one;
    DATABASE_URL and SCORECARD_COUNCIL point at it for the module (the app, which the pages
    register with, is made first)."""
    from ingest import demo

    source = demo_database_url.removeprefix("sqlite:///")
    target = tmp_path_factory.mktemp("manager-views") / "scorecard.db"
    shutil.copyfile(source, target)
    url = f"sqlite:///{target}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("SCORECARD_COUNCIL", demo.COUNCIL)
        store.engine.cache_clear()
        metrics_cache.forget_all()
        yield url
        store.engine().dispose()
        store.engine.cache_clear()
        metrics_cache.forget_all()


def _ids(component) -> set[str]:
    found = set()
    stack = [component]
    while stack:
        node = stack.pop()
        if node is None or isinstance(node, str | int | float):
            continue
        if isinstance(node, list | tuple):
            stack.extend(node)
            continue
        if getattr(node, "id", None):
            found.add(node.id)
        stack.append(getattr(node, "children", None))
    return found


def test_each_page_carries_the_banner_for_a_manager_only(demo_copy):
    from scorecard.pages import briefing, home, indicator

    for layout, query in ((home.layout, {}), (briefing.layout, {}),
                          (indicator.layout, {"indicator_id": "iha_in_timescale", "breakdown": "area"})):
        with acting_as(VIEWER):
            assert "not-for-publication" not in _ids(layout(period=PERIOD, **query))
        with acting_as(MANAGER):
            assert "not-for-publication" in _ids(layout(period=PERIOD, **query))


def test_the_records_link_is_on_the_indicator_page_for_those_who_may_follow_it(demo_copy):
    from scorecard.pages import indicator

    with acting_as(VIEWER):
        assert "records-link" not in _ids(indicator.layout(indicator_id="placed_out_of_area", period=PERIOD))
    with acting_as(MANAGER):
        assert "records-link" in _ids(indicator.layout(indicator_id="placed_out_of_area", period=PERIOD))


def test_the_records_page_refuses_a_viewer_and_lists_for_a_manager(demo_copy):
    from scorecard.access import REFUSED_ID
    from scorecard.pages import records

    with acting_as(VIEWER):
        refused = _ids(records.layout(indicator_id="placed_out_of_area", period=PERIOD))
    assert REFUSED_ID in refused and "records-grid" not in refused
    with acting_as(MANAGER):
        shown = _ids(records.layout(indicator_id="placed_out_of_area", period=PERIOD))
    assert {"records-grid", "records-csv", "not-for-publication", "records-totals"} <= shown
    assert "records-disagree" not in shown
    with acting_as(MANAGER):
        rate = _ids(records.layout(indicator_id="children_in_care_rate", period=PERIOD))
    assert "records-none" in rate and "records-grid" not in rate


def _exports(url: str) -> list[dict]:
    import json

    with store.read_connection(store.engine(url)) as conn:
        rows = store.audit_rows(conn, action="export")
    return [dict(row, details=json.loads(row["details"])) for row in rows]


def test_the_workbook_a_manager_downloads_shows_the_small_numbers_on_marked_sheets(demo_copy):
    import openpyxl

    from scorecard.ui.downloads import pack_for

    with acting_as(VIEWER):
        public_name, public = pack_for(VIEWER, "xlsx", PERIOD)
    with acting_as(MANAGER):
        marked_name, marked = pack_for(MANAGER, "xlsx", PERIOD)
    assert public_name == f"corporate-parenting-scorecard-E10000099-{PERIOD}.xlsx"
    assert marked_name == f"corporate-parenting-scorecard-E10000099-{PERIOD}-not-for-publication.xlsx"
    public_book, marked_book = (openpyxl.load_workbook(io.BytesIO(b)) for b in (public, marked))
    for sheet in marked_book.worksheets:
        assert str(sheet.cell(4, 1).value).startswith("Not for publication: includes numbers under 5"), sheet.title
        assert "NOT FOR PUBLICATION" in sheet.oddHeader.center.text
    assert not any("Not for publication" in str(s.cell(4, 1).value or "") for s in public_book.worksheets)

    def states(book):
        sheet = book["Breakdowns"]
        header = [c.value for c in sheet[5]]
        column = header.index("Value state") + 1
        return [sheet.cell(r, column).value for r in range(6, sheet.max_row + 1)]

    assert "hidden (small number)" in states(public_book)
    assert "hidden (small number)" not in states(marked_book)
    exports = _exports(demo_copy)[:2]
    assert [(e["actor"], e["subject"], e["details"]["suppressed"]) for e in exports] == [
        ("manager", marked_name, False), ("viewer", public_name, True)]
    assert all(e["details"]["kind"] == "xlsx" and e["details"]["period"] == PERIOD for e in exports)


def test_every_page_of_a_managers_pdf_says_not_for_publication(demo_copy):
    from pypdf import PdfReader

    from scorecard.ui.downloads import pack_for

    with acting_as(MANAGER):
        name, marked = pack_for(MANAGER, "pdf", PERIOD)
    assert name.endswith(f"{PERIOD}-not-for-publication.pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(marked)).pages]
    assert len(pages) > 5 and all("NOT FOR PUBLICATION" in text for text in pages)
    assert "Small numbers are hidden" not in "".join(pages)
    with acting_as(VIEWER):
        _, public = pack_for(VIEWER, "pdf", PERIOD)
    public_pages = [page.extract_text() for page in PdfReader(io.BytesIO(public)).pages]
    assert not any("NOT FOR PUBLICATION" in text for text in public_pages)
    assert all("Small numbers are hidden" in text for text in public_pages)
