"""Small numbers that stay hidden: primary and complementary (secondary) suppression.

A public table hides a count of 1 to 4 because it could identify a child (primary
suppression). Hiding it alone is not enough when the table also shows how it adds up:
IHA is 12 of 20 overall and 10 of 12 in area, so the hidden out-of-area figure is 12 - 10
of 20 - 12, 2 of 8. Statistical offices (ONS, the DfE, tau-argus, sdcTable) therefore also
hide *complementary* cells, chosen so that no hidden count can be worked out from the
totals and the other groups.

Nothing here knows about indicators. A table is described by
  - counts: every number some cell shows, by a key of the caller's choosing;
  - cells: the units that are shown or hidden whole, each with the counts it shows
    (a scorecard figure shows its numerator and its denominator, and its value, which
    gives the numerator back from the denominator: so a figure is hidden whole). One
    count may be shown by several cells (two indicators with the same denominator): it is
    hidden only when every cell showing it is;
  - relations: total = sum(parts), between counts (every breakdown of a figure adds up
    to its total, numerators and denominators separately). A two-way table adds one
    relation per row and per column; a rolling 12 months adds one per window.

`protect` decides which cells to hide and why; `recover` and `determined` are the
reader's side, used by the checker: what can be worked out from what is shown.

The rule, and why it is safe: a relation with exactly one hidden count gives that count
away (the total minus the shown parts, or the sum of the parts for a hidden total). So
while any relation has exactly one hidden count, one more of its counts is hidden. The
one chosen is a part rather than the total (the total is the headline figure), not zero
(a hidden zero protects little: a reader guesses zeros), one that makes the hidden counts
there add up to at least 2 x threshold - 1 (a reader who knows the small one is 1 to 4 and
its companion is not could otherwise narrow it down), one that also sits in another such
relation (one hiding mends both), then the smallest (it tells least). Single
relations are not the only way in: several relations together can pin a count down (a
cycle of equations), so once no relation has a single hidden count, the hidden counts are
tested by elimination (`determined`, the Gauss method SSB's GaussSuppression uses), and
any count still pinned down gets a companion the same way. Last, a reader also knows what
each hidden cell says of itself (a small number is 1 to 4, its companion is not small):
ranges narrowed through the relations (`narrowed`) must pin nothing down either (six
small groups adding up to 6 are each 1). The loop ends: every round hides at least one
more count, and there are finitely many.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

PRIMARY, SECONDARY = "primary", "secondary"


def is_small(count: float | None, threshold: int) -> bool:
    """Whether a count could identify a child: 1 to threshold-1. Zero is shown: it
    identifies no one (the domain brief hides small numbers, not absences)."""
    return count is not None and 0 < count < threshold


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), between counts."""
    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def members(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Ratio:
    """A shown value tied to its counts: value = numerator / denominator x scale. With
    the value shown, either count gives the other. A denominator that is not a count
    (a population from the ONS) is `fixed`, a number every reader has."""
    numerator: Hashable
    denominator: Hashable | None
    value: float
    scale: float = 1.0
    fixed: float | None = None


@dataclass
class Table:
    counts: Mapping[Hashable, float]
    cells: Mapping[Hashable, tuple[Hashable, ...]]  # each cell's counts, smallest first
    relations: Sequence[Relation] = ()


@dataclass
class Decision:
    """Which cells are hidden, and why (PRIMARY: a small number; SECONDARY: hidden so that a
    small number elsewhere cannot be worked out)."""
    hidden: dict[Hashable, str] = field(default_factory=dict)

    def reason(self, cell: Hashable) -> str | None:
        return self.hidden.get(cell)

    def count(self, reason: str | None = None) -> int:
        return sum(1 for why in self.hidden.values() if reason is None or why == reason)


def protect(table: Table, threshold: int, secondary: bool = True, hidden: Mapping[Hashable, str] | None = None,
            shown: Iterable[Hashable] = ()) -> Decision:
    """Hide every cell showing a small count, then (unless `secondary` is False, the old
    rule, kept to show the checker can fail) enough others that none can be worked out.

    A table can sit beside figures decided already (a two-way table's margins are the
    month's one-way breakdown): `hidden` are cells hidden already, with their reason, and
    `shown` cells that other outputs show, so never chosen as companions. A small count is
    hidden even in a `shown` cell: a small number is never shown."""
    decision = Decision(dict(hidden or {}))
    decision.hidden.update({cell: PRIMARY for cell, counts in table.cells.items() if cell not in decision.hidden
                            and any(is_small(table.counts.get(c), threshold) for c in counts)})
    if not secondary:
        return decision
    state = _State(table, decision, threshold, set(shown))
    while True:
        unsafe = state.unsafe_relations()
        if not unsafe:
            pinned = determined(state.hidden_counts(), table.relations, state.shown_counts())
            if not pinned:
                shown = {c: table.counts[c] for c in state.shown_counts()}
                pinned = set(narrowed(shown, table.relations, reader_ranges(table.cells, decision.hidden, threshold),
                                      threshold))
            if not pinned:
                return decision
            # A count several relations pin down: widen the first relation it is in that
            # still has a shown count to hide.
            widen = [r for count in sorted(pinned, key=state.order) for r in state.relations_of[count]
                     if r in state.live]
            if not widen:
                # Every relation of those counts is hidden whole, yet they are pinned down
                # through their neighbours': hide whatever is still shown next to a hidden
                # count, layer by layer, rather than hand back a table that gives them away.
                beside = {m for r in table.relations if any(state.is_hidden(x) for x in r.members)
                          for m in r.members if state.hideable(m)}
                if not beside:
                    return decision
                for count in sorted(beside, key=state.order):
                    state.hide_count(count)
                continue
            unsafe = widen[:1]
        relation = unsafe[0]
        chosen = state.companion(relation, set(unsafe))
        if chosen is None:  # every other count is already hidden or unknown: nothing to add
            state.live.discard(relation)
            continue
        state.hide_count(chosen)


class _State:
    """The counts hidden so far, kept as hiding proceeds."""

    def __init__(self, table: Table, decision: Decision, threshold: int, kept: set[Hashable] = frozenset()):
        self.table, self.decision, self.threshold, self.kept = table, decision, threshold, kept
        self.cells_of: dict[Hashable, list[Hashable]] = defaultdict(list)
        for cell, counts in table.cells.items():
            for count in counts:
                self.cells_of[count].append(cell)
        known = [r for r in table.relations if all(m in table.counts for m in r.members) and len(r.members) > 1]
        self.live = set(known)
        self.relations_of: dict[Hashable, list[Relation]] = defaultdict(list)
        for relation in known:
            for member in relation.members:
                self.relations_of[member].append(relation)
        self._order = {key: n for n, key in enumerate(table.counts)}
        # How many cells still show each count: hidden when none does.
        self.showing = {count: sum(c not in decision.hidden for c in cells) for count, cells in self.cells_of.items()}

    def order(self, count: Hashable) -> int:
        return self._order[count]

    def is_hidden(self, count: Hashable) -> bool:
        return self.showing.get(count) == 0

    def hidden_counts(self) -> set[Hashable]:
        return {c for c in self.table.counts if self.is_hidden(c)}

    def shown_counts(self) -> set[Hashable]:
        return {c for c in self.table.counts if not self.is_hidden(c)}

    def unsafe_relations(self) -> list[Relation]:
        unsafe = [r for r in self.live if sum(self.is_hidden(m) for m in r.members) == 1]
        return sorted(unsafe, key=lambda r: self.order(r.total))

    def is_kept(self, count: Hashable) -> bool:
        """Shown by a cell that must stay shown: it will never be hidden."""
        return any(cell in self.kept and cell not in self.decision.hidden for cell in self.cells_of.get(count, ()))

    def hideable(self, count: Hashable) -> bool:
        """Whether hiding the count could protect anything: it is shown, by cells free to
        hide, and in no relation whose other members all stay shown (there it would be
        given away at once: a month's figures summed are its rolling 12 months)."""
        if self.is_hidden(count) or not self.cells_of.get(count) or self.is_kept(count):
            return False
        return not self.kept or not any(all(self.is_kept(m) for m in r.members if m != count)
                                        for r in self.relations_of[count])

    def companion(self, relation: Relation, unsafe: set[Relation]) -> Hashable | None:
        candidates = [m for m in relation.members if self.hideable(m)]
        if not candidates:
            return None

        hidden_sum = sum(self.table.counts[p] for p in relation.parts if self.is_hidden(p))
        total_hidden = self.is_hidden(relation.total)

        def preference(count):
            # A reader knows a small number is 1 to threshold-1 and its companion is not; if
            # the two add up to less than 2 x threshold - 1, that narrows the small one down
            # (1 and 5 make 6: the companion must be 5, the small one 1). So prefer a
            # companion that takes the hidden sum there.
            narrows = not total_hidden and hidden_sum + self.table.counts[count] < 2 * self.threshold - 1
            return (count == relation.total,
                    self.table.counts[count] == 0,
                    narrows,
                    not any(r in unsafe and r is not relation for r in self.relations_of[count]),
                    self.table.counts[count], self.order(count))
        return min(candidates, key=preference)

    def hide_count(self, count: Hashable) -> None:
        for cell in self.cells_of[count]:
            if cell not in self.decision.hidden:
                self.decision.hidden[cell] = SECONDARY
                for shown in self.table.cells[cell]:
                    self.showing[shown] -= 1


@dataclass(frozen=True)
class Recovery:
    """A hidden count worked out from what is shown: its value and how."""
    count: Hashable
    value: float
    how: str
    using: tuple[Hashable, ...] = ()


def recover(shown: Mapping[Hashable, float], relations: Iterable[Relation], ratios: Iterable[Ratio] = (),
            unknown: Iterable[Hashable] = ()) -> dict[Hashable, Recovery]:
    """Every count a reader can work out from the `shown` counts, one equation at a time,
    until nothing more follows: a relation with one unknown member; a shown value with one
    of its two counts known. `unknown`: the hidden counts to look for (by default every
    count the relations and ratios name that is not shown)."""
    known = dict(shown)
    relations, ratios = list(relations), list(ratios)
    wanted = set(unknown) | {m for r in relations for m in r.members} | {r.numerator for r in ratios} \
        | {r.denominator for r in ratios if r.denominator is not None}
    wanted -= set(known)
    found: dict[Hashable, Recovery] = {}
    progress = True
    while progress:
        progress = False
        for relation in relations:
            missing = [m for m in relation.members if m not in known]
            if len(missing) != 1 or not (missing[0] in wanted):
                continue
            target = missing[0]
            parts = sum(known[p] for p in relation.parts if p != target)
            value = parts if target == relation.total else known[relation.total] - parts
            how = "the sum of the groups" if target == relation.total else "the total minus the other groups"
            found[target] = Recovery(target, value, how, tuple(m for m in relation.members if m != target))
            known[target] = value
            progress = True
        for ratio in ratios:
            denominator = ratio.fixed if ratio.denominator is None else known.get(ratio.denominator)
            if ratio.numerator not in known and denominator is not None and ratio.numerator in wanted:
                value = _whole(ratio.value * denominator / ratio.scale)
                found[ratio.numerator] = Recovery(ratio.numerator, value, "the value times the denominator",
                                                  () if ratio.denominator is None else (ratio.denominator,))
                known[ratio.numerator] = value
                progress = True
            elif (ratio.denominator is not None and ratio.denominator not in known and ratio.numerator in known
                  and ratio.value and ratio.denominator in wanted):
                value = _whole(known[ratio.numerator] * ratio.scale / ratio.value)
                found[ratio.denominator] = Recovery(ratio.denominator, value, "the numerator divided by the value",
                                                    (ratio.numerator,))
                known[ratio.denominator] = value
                progress = True
    return found


@dataclass(frozen=True)
class Range:
    """What a reader knows of a hidden count: low to high, and perhaps that it is not small
    (zero, or threshold and more: a companion's counts)."""
    low: float = 0.0
    high: float = math.inf
    not_small: bool = False


def reader_ranges(cells: Mapping[Hashable, tuple[Hashable, ...]], reasons: Mapping[Hashable, str],
                  threshold: int) -> dict[Hashable, Range]:
    """What the hidden cells say about their counts. A cell lists its counts smallest first
    (a numerator before its denominator). A small number's cell has one of them small, so
    its first is at most threshold-1 (1 or more when it is the only one) and the others at
    least 1; a companion's counts are none of them small."""
    low: dict[Hashable, float] = defaultdict(float)
    high: dict[Hashable, float] = defaultdict(lambda: math.inf)
    not_small: set[Hashable] = set()
    for cell, reason in reasons.items():
        counts = cells.get(cell, ())
        for position, count in enumerate(counts):
            if reason == SECONDARY:
                not_small.add(count)
            elif position == 0:
                low[count] = max(low[count], 1.0 if len(counts) == 1 else 0.0)
                high[count] = min(high[count], threshold - 1.0)
            else:
                low[count] = max(low[count], 1.0)
    return {count: Range(low[count], high[count], count in not_small)
            for cell in reasons for count in cells.get(cell, ())}


def narrowed(shown: Mapping[Hashable, float], relations: Iterable[Relation], ranges: Mapping[Hashable, Range],
             threshold: int, rounds: int = 50) -> dict[Hashable, Recovery]:
    """The hidden counts a reader pins down from what each hidden cell says about itself
    (`reader_ranges`) and the relations, by narrowing each count's range from the others'
    until nothing changes. A small number and one companion adding up to 6 give each other
    away (the companion must be 5, the small one 1); six small groups adding up to 6 are
    each 1."""
    relations = [r for r in relations if all(m in shown or m in ranges for m in r.members)]
    low = {key: float(value) for key, value in shown.items()}
    high = dict(low)
    for key, known in ranges.items():
        if key not in shown:
            low[key], high[key] = known.low, known.high
    for _ in range(rounds):
        changed = False
        for relation in relations:
            for member in relation.members:
                if member in shown:
                    continue
                others = [m for m in relation.parts if m != member]
                if member == relation.total:
                    lo, hi = sum(low[m] for m in others), sum(high[m] for m in others)
                else:
                    lo = low[relation.total] - sum(high[m] for m in others)
                    hi = high[relation.total] - sum(low[m] for m in others)
                lo, hi = max(lo, low[member]), min(hi, high[member])
                if ranges[member].not_small:  # zero, or threshold and more
                    hi = 0.0 if hi < threshold else hi
                    lo = max(lo, float(threshold)) if lo > 0 else lo
                if (lo, hi) != (low[member], high[member]) and lo <= hi:
                    low[member], high[member] = lo, hi
                    changed = True
        if not changed:
            break
    return {key: Recovery(key, low[key], "narrowed down by what the hidden figures say of themselves")
            for key in ranges if key not in shown and low[key] == high[key]}


def determined(hidden: Iterable[Hashable], relations: Iterable[Relation], shown: Iterable[Hashable]) -> set[Hashable]:
    """The hidden counts that the relations pin down taken together (by elimination), even
    where no single relation does. A count is pinned down when every way of changing the
    hidden counts that keeps every relation true leaves it unchanged: its coordinate is
    zero across the null space of the relations restricted to the hidden counts."""
    hidden, shown = set(hidden), set(shown)
    rows = [r for r in relations if any(m in hidden for m in r.members)
            and all(m in hidden or m in shown for m in r.members)]
    pinned: set[Hashable] = set()
    for component, members in _components(rows, hidden):
        columns = {count: n for n, count in enumerate(sorted(members, key=repr))}
        matrix = np.zeros((len(component), len(columns)))
        for i, relation in enumerate(component):
            for part in relation.parts:
                if part in columns:
                    matrix[i, columns[part]] += 1.0
            if relation.total in columns:
                matrix[i, columns[relation.total]] -= 1.0
        _, singular, vt = np.linalg.svd(matrix)
        rank = int((singular > 1e-9).sum())
        null_space = vt[rank:]
        for count, n in columns.items():
            if null_space.size == 0 or np.all(np.abs(null_space[:, n]) < 1e-9):
                pinned.add(count)
    return pinned


def _components(relations: list[Relation], hidden: set[Hashable]):
    """The relations split into groups sharing no hidden count (each solved on its own)."""
    parent: dict[Hashable, Hashable] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for relation in relations:
        members = [m for m in relation.members if m in hidden]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[Hashable, tuple[list, set]] = {}
    for relation in relations:
        members = [m for m in relation.members if m in hidden]
        group = groups.setdefault(root(members[0]), ([], set()))
        group[0].append(relation)
        group[1].update(members)
    return list(groups.values())


def _whole(value: float) -> float:
    """Counts are whole numbers: a value rounded for display gives its count back to the
    nearest whole."""
    nearest = round(value)
    return float(nearest) if abs(value - nearest) < 1e-6 else value
