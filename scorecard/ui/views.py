"""What each page, the PDF pack and the workbook show, as plain data: built from the
metrics API, tested without Dash, and rendered by `pages/`, `packs/` alike.

Outputs are public unless asked otherwise: counts of 1 to 4 (and any rate made from them)
are hidden, because members see aggregates only and a small number can identify a child,
and so is any figure from which one could be worked out (complementary suppression,
decided once per month by the metrics layer). Those who hold the small-numbers permission
(heads of service) are shown them: the page or callback passes `public=public_for(who)`,
and everything built so carries `marking`, which every page and pack showing it prints.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, replace

import pandas as pd

from scorecard.access import Identity, Permission, council_for
from scorecard.councils import compared_with
from scorecard.councils import council as council_details
from scorecard.metrics import CouncilMetrics, metrics_for
from scorecard.metrics.actions import Action, actions_for
from scorecard.metrics.catalogue import period_is_valid
from scorecard.ui.changes import RATED, basis_for, basis_text, classify
from scorecard.ui.text import (
    COMPARATOR_NAMES,
    caveat_text,
    comparator_text,
    counts_text,
    date_label,
    direction_text,
    month_label,
    published_text,
    rag_text,
    standing_text,
    value_text,
)

PUBLIC = True
NOT_FOR_PUBLICATION = "Not for publication"


# Pages' plain data built, per metrics object (gone with it when the figures change).
_built: weakref.WeakKeyDictionary[CouncilMetrics, dict[tuple, object]] = weakref.WeakKeyDictionary()
MAX_BUILT_KEPT = 256
_built_lock = threading.Lock()

def public_for(who: Identity | None) -> bool:
    """Whether what `who` is shown must be public (small numbers hidden): yes, unless they
    hold the small-numbers permission. Nobody signed in sees public figures only."""
    return not (who is not None and who.can(Permission.SMALL_NUMBERS))


def marking_for(public: bool, suppress_below: int) -> str:
    """What every page and pack page says when it shows what public outputs hide ("" when public)."""
    if public:
        return ""
    return (f"{NOT_FOR_PUBLICATION}: includes numbers under {suppress_below} (counts of 1 to {suppress_below - 1} "
            "children, and the figures from which they could be worked out) that public outputs suppress because "
            "they could identify a child.")
SPARKLINE_MONTHS = 13
TREND_MONTHS = 24


@dataclass(frozen=True)
class Comment:
    text: str
    author: str
    written: str          # '12 April 2025'
    period: str


@dataclass(frozen=True)
class ComparatorCell:
    name: str             # 'statistical_neighbours'
    label: str            # 'Statistical neighbours'
    short: str            # 'SN'
    value: float | None
    text: str             # '46.3 (2017/18)' / 'Not yet published' / 'Not compared'
    state: str | None
    note: str
    measured: str = ""    # 'at 31 March 2025': what the DfE's figure is


@dataclass(frozen=True)
class Row:
    """One indicator in one month, as the scorecard shows it."""
    id: str
    label: str
    unit: str
    polarity: str
    value: float | None
    value_text: str
    counts_text: str
    rag: str | None
    rag_text: str          # '● Green'
    rag_reason: str
    last_month_text: str
    month_direction: str | None
    month_direction_text: str   # '↑ Improving'
    last_year_text: str
    year_direction: str | None
    year_direction_text: str
    target: float | None
    target_text: str
    comparators: tuple[ComparatorCell, ...]
    sparkline: tuple[tuple[str, float | None], ...]   # (period, value), oldest first
    commentary: Comment | None
    note: str
    extract_ids: tuple[int, ...]
    caveat: str = ""           # 'Incomplete history: 180 children' / 'Children in care only', beside the value
    standing_text: str = "Not ranked"   # '16th of 150, band A (2024/25)': among every council's published figure
    published_text: str = ""   # the DfE's published figure for this council, and the difference
    published_value: float | None = None
    definition_note: str = ""  # how the DfE's definition differs from the scorecard's
    since_text: str = "No figure"        # the figure in the month compared with (the last meeting's)
    since_direction: str | None = None
    since_direction_text: str = ""
    change: str | None = None            # turned_red ... worsened: see ui.changes
    actions: tuple[Action, ...] = ()     # improvement actions, open first
    context: bool = False                # a context figure: never rated, never listed as good or bad

    @property
    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.open)


@dataclass(frozen=True)
class ThemeGroup:
    id: str
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Scorecard:
    council_code: str
    council_name: str
    period: str
    period_label: str
    as_at_text: str
    framework: str
    framework_label: str
    theme: str | None
    groups: tuple[ThemeGroup, ...]
    going_well: tuple[Row, ...]
    needs_attention: tuple[Row, ...]
    older_benchmarks: bool
    periods: tuple[str, ...]           # every month with figures, newest first
    frameworks: tuple[tuple[str, str], ...]
    themes: tuple[tuple[str, str], ...]
    compared_text: str = ""            # who the council is compared with, and how
    region_name: str = ""
    since: str = ""                    # the month compared with (YYYY-MM)
    since_chosen: bool = False         # the reader chose it (else: the last meeting's, or the month before)
    since_label: str = ""              # 'January 2025'
    basis_text: str = ""               # why that month: the last meeting's, chosen, or the month before
    headline: str = ""                 # one line: how many red, amber, green, and what turned red or green
    notice: str = ""                   # the month asked for could not be shown, and why
    public: bool = True                # small numbers hidden; else `marking` says so on every page
    marking: str = ""

    @property
    def rows(self) -> list[Row]:
        """Each indicator once, in catalogue order (an indicator may sit under two themes)."""
        seen, rows = set(), []
        for group in self.groups:
            for row in group.rows:
                if row.id not in seen:
                    seen.add(row.id)
                    rows.append(row)
        return rows


class NoData(LookupError):
    """The store holds no figures for the council yet."""


def figures(council: str) -> CouncilMetrics:
    return metrics_for(council)


def figures_for(who: Identity | None) -> CouncilMetrics:
    """The figures of the council `who` sees (access.council_for): what every page and
    download shows, so none can show a user bound to a council another council's figures."""
    return figures(council_for(who))


def choose_period(metrics: CouncilMetrics, period: str | None) -> str:
    """The month asked for if it has figures, else the latest month with figures."""
    periods = metrics.periods()
    if not periods:
        raise NoData(f"no figures for council {metrics.council}")
    return period if period in periods else periods[-1]


def period_notice(asked: str | None, shown: str, what: str = "month") -> str:
    """What to say when the address asked for a month that cannot be shown: never show
    another month silently."""
    if not asked or asked == shown:
        return ""
    if not period_is_valid(str(asked)):
        return f"‘{asked}’ is not a month (write it YYYY-MM, e.g. 2025-03): showing {month_label(shown)}."
    return f"There are no figures for {month_label(asked)}: showing {month_label(shown)}, the latest {what}."


def as_at_text(metrics: CouncilMetrics, period: str) -> str:
    as_at = metrics.as_at(period)
    text = f"Data as at {date_label(as_at['month_end'])}"
    later = [day for day in as_at.get("extracts_as_at", ()) if str(day)[:10] > str(as_at["month_end"])]
    if later:  # a return covering the year, as at its 31 March
        text += f", from files as at {' and '.join(date_label(day) for day in later)}"
    if as_at["loaded_at"] is not None:
        text += f" (loaded {date_label(as_at['loaded_at'])})"
    return text


def build_scorecard(metrics: CouncilMetrics, period: str | None = None, framework: str | None = None,
                    theme: str | None = None, since: str | None = None, public: bool = PUBLIC) -> Scorecard:
    """The scorecard for a month; `public` False shows the small numbers (see `public_for`).

    Commentary, actions and the meeting the month is compared since are read fresh each
    time (another worker may just have saved one); the rest depends only on the figures,
    so a card already built from the same figures, choices, commentary, actions and
    comparison is given again: a councillor's second view of a month costs three small
    reads, not the 28 indicators' rows rebuilt."""
    asked, period = period, choose_period(metrics, period)
    comments = metrics.latest_commentary(period)
    actions: dict[str, list[Action]] = {}
    for action in actions_for(metrics.engine, metrics.council):
        actions.setdefault(action.indicator, []).append(action)
    basis = basis_for(metrics, period, since)
    key = ("scorecard", asked, period, framework, theme, since, public, repr(comments), repr(actions), repr(basis))
    return built_once(metrics, key, lambda: _scorecard(metrics, asked, period, framework, theme, public,
                                                       comments, actions, basis))


def built_once(metrics: CouncilMetrics, key: tuple, build):
    """What `build()` makes from these figures, made once per `key`: a page's plain data
    depends only on the figures and on what the key holds (the choices, and the commentary
    and actions read fresh for it), so it is kept with the figures and gone with them."""
    with _built_lock:
        made = _built.get(metrics, {}).get(key)
    if made is None:
        made = build()
        with _built_lock:
            kept = _built.setdefault(metrics, {})
            if len(kept) >= MAX_BUILT_KEPT:
                kept.pop(next(iter(kept)))
            kept[key] = made
    return made


def _scorecard(metrics: CouncilMetrics, asked: str | None, period: str, framework: str | None, theme: str | None,
               public: bool, comments: dict, actions: dict[str, list[Action]], basis) -> Scorecard:
    catalogue = metrics.catalogue
    chosen = _framework(catalogue, framework)
    theme_ids = {t.id for t in chosen.themes}
    theme = theme if theme in theme_ids else None
    table = metrics.scorecard(period, chosen.id, theme, public=public)
    history = metrics.history(period, SPARKLINE_MONTHS, public=public)
    sparklines = {key: tuple(zip(group["period"], map(_none, group["value"]), strict=True))
                  for key, group in history.groupby("indicator", sort=False)}
    records = _records(table)
    before = {r["indicator"]: r for r in _records(metrics.scorecard(basis.since, chosen.id, theme, public=public))}
    rows = {record["indicator"]: _with_change(
        metrics, make_row(record, sparklines.get(record["indicator"], ()), comments.get(record["indicator"]),
                          actions.get(record["indicator"], ())), record, before.get(record["indicator"]))
            for record in records}
    groups = []
    for item in chosen.themes:
        if theme and item.id != theme:
            continue
        members = tuple(rows[r["indicator"]] for r in records if item.id in r["themes"])
        if members:
            groups.append(ThemeGroup(item.id, item.label, members))
    card = Scorecard(
        council_code=metrics.council, council_name=council_details(metrics.council).name, period=period,
        period_label=month_label(period), as_at_text=as_at_text(metrics, period), framework=chosen.id,
        framework_label=chosen.label, theme=theme, groups=tuple(groups), going_well=(), needs_attention=(),
        older_benchmarks=False, periods=tuple(reversed(metrics.periods())), compared_text=compared_text(metrics),
        region_name=metrics.details.region_name,
        frameworks=tuple((f.id, f.label) for f in catalogue.frameworks),
        themes=tuple((t.id, t.label) for t in chosen.themes),
        since=basis.since, since_chosen=basis.chosen, since_label=month_label(basis.since),
        basis_text=basis_text(basis),
        notice=period_notice(asked, period), public=public,
        marking=marking_for(public, catalogue.defaults.suppress_below))
    listed = card.rows
    return replace(card, going_well=tuple(r for r in listed if r.rag == "green"),
                   needs_attention=tuple(sorted((r for r in listed if r.rag in ("red", "amber")),
                                                key=lambda r: r.rag != "red")),
                   older_benchmarks=any(c.state == "older" for r in listed for c in r.comparators),
                   headline=headline(listed, month_label(period), month_label(basis.since)))


def _with_change(metrics: CouncilMetrics, row: Row, record: dict, earlier: dict | None) -> Row:
    """The row with its movement since the month compared with, and the kind of change."""
    if earlier is None:
        return row
    was = make_row(earlier)
    comparable = not (record.get("history_note") or earlier.get("history_note"))
    change = classify(metrics, row, was, comparable)
    return replace(row, since_text=was.value_text if was.value is not None else "No figure",
                   since_direction=change.direction, since_direction_text=change.direction_text, change=change.kind)


def headline(rows: list[Row], period_label: str, since_label: str) -> str:
    """'March 2025: 3 red, 5 amber and 9 green (11 not rated). Since January 2025, turned
    red: A and B; turned green: C.' Context figures are counted apart: they are never rated."""
    counts = {rag: sum(r.rag == rag for r in rows) for rag in RATED}
    context = sum(r.context for r in rows)
    unrated = len(rows) - sum(counts.values()) - context
    rated = f"{counts['red']} red, {counts['amber']} amber and {counts['green']} green"
    others = [f"{unrated} not rated" if unrated else "", f"{context} context figures" if context else ""]
    text = f"{period_label}: {rated}" + (f" ({', '.join(o for o in others if o)})" if any(others) else "") + "."
    parts = [f"{title} {_names([r.label for r in rows if r.change == key])}"
             for key, title in (("turned_red", "turned red:"), ("turned_green", "turned green:"))
             if any(r.change == key for r in rows)]
    if parts:
        return f"{text} Since {since_label}, {'; '.join(parts)}."
    return f"{text} Nothing turned red or green since {since_label}."


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def make_row(record: dict, sparkline=(), comment: dict | None = None, actions=()) -> Row:
    unit = record["unit"]
    value = _none(record["value"])
    note = "; ".join(n for n in (record.get("note") or "", record.get("history_note") or "") if n)
    comparators = tuple(
        ComparatorCell(name, record.get(f"{name}_name") or COMPARATOR_NAMES[name][0], COMPARATOR_NAMES[name][1],
                       _none(record.get(f"{name}_value")),
                       comparator_text(unit, _none(record.get(f"{name}_value")), _none(record.get(f"{name}_period")),
                                       _none(record.get(f"{name}_state")), _none(record.get(f"{name}_rank")),
                                       _none(record.get(f"{name}_rank_of"))),
                       _none(record.get(f"{name}_state")), record.get(f"{name}_note") or "",
                       _none(record.get(f"{name}_measured")) or "")
        for name in ("statistical_neighbours", "england", "region"))
    target = _none(record.get("target"))
    last_month, last_year = _none(record.get("last_month")), _none(record.get("last_year"))
    return Row(
        id=record["indicator"], label=record["label"], unit=unit, polarity=record["polarity"], value=value,
        value_text=value_text(unit, value, note),
        counts_text=counts_text(unit, _none(record.get("numerator")), _none(record.get("denominator"))),
        rag=_none(record.get("rag")), rag_text=rag_text(_none(record.get("rag"))),
        rag_reason=record.get("rag_reason") or "",
        last_month_text=value_text(unit, last_month) if last_month is not None else "No figure",
        month_direction=_none(record.get("last_month_direction")),
        month_direction_text=direction_text(_none(record.get("last_month_direction")), value, last_month),
        last_year_text=value_text(unit, last_year) if last_year is not None else "No figure",
        year_direction=_none(record.get("last_year_direction")),
        year_direction_text=direction_text(_none(record.get("last_year_direction")), value, last_year),
        target=target, target_text=value_text(unit, target) if target is not None else "No target",
        comparators=comparators, sparkline=tuple(sparkline),
        commentary=_comment(comment), note=note,
        extract_ids=tuple(int(i) for i in (record.get("extract_ids") or ())),
        caveat=caveat_text(record),
        standing_text=standing_text(_none(record.get("rank")), _none(record.get("rank_of")), _none(record.get("band")),
                                    _none(record.get("rank_period")), bool(_none(record.get("rank_older")))),
        published_text=published_text(unit, _none(record.get("published_value")),
                                      _none(record.get("published_period")), _none(record.get("published_state")),
                                      record.get("published_note") or "", _none(record.get("published_difference"))),
        published_value=_none(record.get("published_value")),
        definition_note=record.get("definition_note") or "", actions=tuple(actions),
        context=record["polarity"] == "context")


def compared_text(metrics: CouncilMetrics) -> str:
    """'Compared with England, East Midlands and the ten statistical neighbours of
    Leicestershire (the DfE's model of May 2025; their mean, as LAIT shows it).'"""
    from scorecard.councils import MODEL_NAMES

    details = council_details(metrics.council)
    like = compared_with(metrics.council)
    whose = f"the statistical neighbours of {like}" if like else "its statistical neighbours"
    average = "their mean, as the DfE's LAIT shows it" if metrics.neighbour_average == "mean" else \
        "their median, as the DfE's children's social care dashboard shows it"
    region = details.region_name or "its region"
    return (f"{details.name} is compared with England, {region} and {whose} ({MODEL_NAMES[metrics.neighbour_model]}; "
            f"{average}), and ranked among every council, with the DfE's published figures for each year.")


def _comment(comment: dict | None) -> Comment | None:
    if not comment:
        return None
    return Comment(comment["text"], comment["author"], date_label(comment.get("written_at")), comment["period"])


def comments_for(metrics: CouncilMetrics, indicator: str, up_to: str) -> list[Comment]:
    return [_comment(c) for c in metrics.commentary(indicator, up_to=up_to)]


def _records(table) -> list[dict]:
    return table.to_dict("records") if len(table) else []


def _none(value):
    """NaN and pandas' missing markers as None, so views hold plain Python values."""
    if value is None:
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # a tuple or list is never "missing"
        return value


def glossary(metrics_catalogue) -> list[tuple[str, str]]:
    """Every term, alphabetically."""
    return sorted(metrics_catalogue.glossary_terms().items(), key=lambda item: item[0].lower())


def theme_options(framework: str | None) -> list[tuple[str, str]]:
    """The themes of a framework (the default one if it is unknown), for the theme choice."""
    from scorecard.metrics import load_catalogue

    return [(t.id, t.label) for t in _framework(load_catalogue(), framework).themes]


def _framework(catalogue, framework: str | None):
    """The framework asked for, or the default one when the address names an unknown one."""
    try:
        return catalogue.framework(framework)
    except KeyError:
        return catalogue.framework(None)
