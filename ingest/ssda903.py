"""The SSDA903 return: the CSV files every English council sends the DfE each year.

The return's tables (Header, Episodes, UASC, Missing, OC2, OC3) are recognised by their
exact DfE column names, validated like any other table, and then joined onto the
scorecard's datasets, each stored row keeping the 903 file and row it came from. The
return's other tables (Reviews, AD1, PlacedAdoption, PrevPerm, SocialWorker) are
recognised and reported as not used.

A return is one collection year, 1 April to 31 March, given explicitly (`--year 2019-20`)
as the DfE's own validator asks; its dates are checked against it. What each table gives:

- Episodes + Header (+ UASC) -> children in care, covering every month of the year: every
  episode open at any time in it. Sex, date of birth and ethnicity come from Header; the
  UASC flag from the UASC file (a child listed there is UASC until the date UASC status
  ceased, DUC). The start of each period of care is not in the return: the metrics work
  it out from the child's episodes across every return loaded (a child in care for
  years starts the year with a continuing episode), so it is stored empty here.
  The 903 has no in-area flag, distance or district: those stay empty, unless the file
  carries the derived PL_LA, PL_LOCATION and PL_DISTANCE columns some systems add.
- Missing -> missing episodes of children in care, covering the year (the 903 lists no
  other children); dates only, so times are midnight and "within 72 hours" is measured
  on whole days.
- OC2 -> health assessments as at 31 March, covering March only: for each child looked
  after 12 months, the DfE's up-to-date flags (HEALTH_ASSESSMENT: the annual health
  assessment; TEETH_CHECK: dental; IMMUNISATIONS; HEALTH_CHECK: under-5s' development
  checks), plus SDQ scores. Flags, not dates: they answer for 31 March only.
- OC3 -> care leavers, covering the year: each with the birthday (17th to 21st) that fell in it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.datasets import CARE_LEAVERS, CHILDREN_IN_CARE, HEALTH_ASSESSMENTS, MISSING_EPISODES
from ingest.parse import Table
from ingest.problems import Problem, Severity
from ingest.schema import Dataset, Field, Kind, is_birthday, not_before
from scorecard.periods import CollectionYear
from scorecard.vocabulary import DATED, SPANS_OF_EPISODES, STATUS, Completeness

FORMAT = "ssda903"


def _f(name: str, kind: Kind, meaning: str, required: bool = False, codes: str | None = None) -> Field:
    return Field(name, kind, meaning, (name,), required=required, codes=codes)


CHILD = _f("CHILD", Kind.TEXT, "Child identifier", required=True)
DOB = _f("DOB", Kind.DATE, "Date of birth", required=True)


def _table(name: str, title: str, description: str, fields: tuple[Field, ...], key: tuple[str, ...],
           **more) -> Dataset:
    return Dataset(name, title, description, fields, key=key, source_format=FORMAT, **more)


HEADER = _table(
    "903_header", "SSDA903 Header", "One row per child: sex, date of birth, ethnicity.",
    (CHILD, _f("SEX", Kind.CODE, "Sex", True, "sex"), DOB, _f("ETHNIC", Kind.CODE, "Ethnicity", True, "ethnicity"),
     _f("UPN", Kind.TEXT, "Unique pupil number"), _f("MOTHER", Kind.TEXT, "Is the child a mother"),
     _f("MC_DOB", Kind.DATE, "Date of birth of the mother's child")),
    key=("CHILD",),
)
EPISODES = _table(
    "903_episodes", "SSDA903 Episodes", "One row per episode of care open at any time in the year.",
    (CHILD, _f("DECOM", Kind.DATE, "Date episode commenced", True),
     _f("RNE", Kind.CODE, "Reason for new episode", True, "reason_new_episode"),
     _f("LS", Kind.CODE, "Legal status", True, "legal_status"),
     _f("CIN", Kind.CODE, "Category of need", False, "category_of_need"),
     _f("PLACE", Kind.CODE, "Placement type", True, "placement_type"),
     _f("PLACE_PROVIDER", Kind.CODE, "Placement provider", False, "placement_provider"),
     _f("DEC", Kind.DATE, "Date episode ceased"),
     _f("REC", Kind.CODE, "Reason episode ceased", False, "reason_episode_ceased"),
     _f("REASON_PLACE_CHANGE", Kind.CODE, "Reason for placement change", False, "reason_place_change"),
     _f("HOME_POST", Kind.TEXT, "Home postcode"), _f("PL_POST", Kind.TEXT, "Placement postcode"),
     _f("URN", Kind.TEXT, "Ofsted unique reference number of the placement"),
     # Derived by the DfE from the postcodes; some systems' extracts carry them.
     _f("PL_LA", Kind.TEXT, "Placement local authority"), _f("PL_LOCATION", Kind.FLAG, "Placed in (IN) or out "
        "(OUT) of the council's area"), _f("PL_DISTANCE", Kind.NUMBER, "Distance to the placement in miles")),
    key=("CHILD", "DECOM"), rules=(not_before("DECOM", "DEC", "the episode ends before it starts"),),
)
UASC = _table(
    "903_uasc", "SSDA903 UASC", "Children who were unaccompanied asylum-seeking children.",
    (CHILD, _f("SEX", Kind.CODE, "Sex", False, "sex"), DOB, _f("DUC", Kind.DATE, "Date UASC status ceased")),
    key=("CHILD",),
)
MISSING = _table(
    "903_missing", "SSDA903 Missing", "Episodes of being missing or away from placement without authorisation.",
    (CHILD, _f("DOB", Kind.DATE, "Date of birth"), _f("MISSING", Kind.CODE, "Missing or away", True, "missing_type"),
     _f("MIS_START", Kind.DATE, "Date missing started", True), _f("MIS_END", Kind.DATE, "Date missing ended")),
    # No key: the return gives dates only, and a child can go missing twice in a day.
    key=(), rules=(not_before("MIS_START", "MIS_END", "the child was found before going missing"),),
)
OC2 = _table(
    "903_oc2", "SSDA903 OC2", "Outcomes for children looked after continuously for 12 months at 31 March.",
    (CHILD, DOB, _f("SDQ_SCORE", Kind.INTEGER, "SDQ total score"), _f("SDQ_REASON", Kind.TEXT, "Reason no SDQ"),
     _f("CONVICTED", Kind.FLAG, "Convicted"),
     _f("HEALTH_CHECK", Kind.FLAG, "Health promotion (development) checks up to date, children under 5"),
     _f("IMMUNISATIONS", Kind.FLAG, "Immunisations up to date"), _f("TEETH_CHECK", Kind.FLAG, "Dental check"),
     _f("HEALTH_ASSESSMENT", Kind.FLAG, "Annual health assessment up to date"),
     _f("SUBSTANCE_MISUSE", Kind.FLAG, "Substance misuse"),
     _f("INTERVENTION_RECEIVED", Kind.FLAG, "Intervention received"),
     _f("INTERVENTION_OFFERED", Kind.FLAG, "Intervention offered")),
    key=("CHILD",),
)
OC3 = _table(
    "903_oc3", "SSDA903 OC3", "Care leavers with a 17th to 21st birthday in the year.",
    (CHILD, DOB, _f("IN_TOUCH", Kind.CODE, "In touch", True, "in_touch"),
     _f("ACTIV", Kind.CODE, "Activity", False, "activity"), _f("ACCOM", Kind.CODE, "Accommodation", False, "accommodation")),
    key=("CHILD",),
)


def _ignored(name: str, title: str, columns: tuple[str, ...]) -> Dataset:
    """A table of the return the scorecard does not use: recognised, and reported as not used."""
    fields = tuple(_f(c, Kind.TEXT, c, required=True) for c in columns)
    return _table(name, title, f"The return's {title} table, which no indicator uses.", fields, key=(),
                  ignored=True)


IGNORED = tuple(_ignored(*spec) for spec in (
    ("903_reviews", "SSDA903 Reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")),
    ("903_ad1", "SSDA903 AD1", ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
                                "SEX_ADOPTR", "LS_ADOPTR")),
    ("903_placed_adoption", "SSDA903 PlacedAdoption", ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                                                       "REASON_PLACED_CEASED")),
    ("903_prev_perm", "SSDA903 PrevPerm", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM")),
    ("903_social_worker", "SSDA903 SocialWorker", ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")),
))

TABLES: dict[str, Dataset] = {d.name: d for d in (HEADER, EPISODES, UASC, MISSING, OC2, OC3, *IGNORED)}
SUPPORTING = {HEADER.name, UASC.name}  # joined into Episodes, never loaded on their own

# What each dataset made from a return lists in full, and which months it covers.
_COMPLETE = {
    CHILDREN_IN_CARE.name: SPANS_OF_EPISODES,
    MISSING_EPISODES.name: Completeness(DATED, ("missing_from",), only="in_care"),
    HEALTH_ASSESSMENTS.name: Completeness(STATUS),
    CARE_LEAVERS.name: Completeness(DATED, ("birthday",)),
}
# Columns holding the return's own dates, checked against its year.
_DATES = {EPISODES.name: ("DECOM", "DEC"), MISSING.name: ("MIS_START", "MIS_END")}
OC2_FLAGS = (("review", "HEALTH_ASSESSMENT"), ("dental", "TEETH_CHECK"), ("immunisations", "IMMUNISATIONS"),
             ("development", "HEALTH_CHECK"))


@dataclass
class _Joiner:
    """Makes the scorecard's datasets from one return's validated tables."""

    tables: dict[str, Table]
    year: CollectionYear
    problems: list[Problem]

    def problem(self, source: Table, code: str, message: str, row: int | None = None, column: str | None = None,
                severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(code=code, message=message, file=source.file, sheet=source.sheet, row=row,
                                     column=column, severity=severity))

    def result(self, dataset: Dataset, source: Table, columns: dict[str, list], rows: list[int],
               also: list[Table] = (), lacking: Iterable[str] = ()) -> Table:
        """The joined table; `lacking` names the fields the return does not give, which it
        leaves empty and says nothing about."""
        carried = frozenset(columns) - set(lacking)
        for f in dataset.stored_fields:  # an empty table still has every column
            columns.setdefault(f.name, [None] * len(rows))
        first, last = (self.year.last_month,) * 2 if dataset is HEALTH_ASSESSMENTS else \
            (self.year.first_month, self.year.last_month)
        return Table(dataset=dataset, file=source.file, sheet=source.sheet, sha256=source.sha256, columns=columns,
                     source_rows=rows, headers={name: name for name in columns},
                     also_from=[{"file": t.file, "sha256": t.sha256} for t in also], source_format=FORMAT,
                     first_month=first, last_month=last, as_at=self.year.last_day,
                     completeness=_COMPLETE[dataset.name], carried=carried)

    def children_in_care(self) -> Table | None:
        episodes = self.tables[EPISODES.name]
        header = self.tables.get(HEADER.name)
        if header is None:
            self.problem(episodes, "missing-file", "the 903 Episodes file needs the 903 Header file (CHILD, SEX, "
                         "DOB, ETHNIC, ...) in the same upload: it gives each child's sex, date of birth and ethnicity")
            return None
        people = {c: (s, b, e) for c, s, b, e in zip(header.columns["CHILD"], header.columns["SEX"],
                                                       header.columns["DOB"], header.columns["ETHNIC"])}
        uasc_table = self.tables.get(UASC.name)
        uasc_until = dict(zip(uasc_table.columns["CHILD"], uasc_table.column_or_blank("DUC"))) if uasc_table else {}
        e = episodes.columns
        given = {name: episodes.column_or_blank(name) for name in
                 ("REC", "CIN", "PLACE_PROVIDER", "HOME_POST", "PL_POST", "PL_LA", "PL_LOCATION", "PL_DISTANCE")}
        columns: dict[str, list] = defaultdict(list)
        rows: list[int] = []
        for i, child in enumerate(e["CHILD"]):
            if child not in people:
                self.problem(episodes, "reference-error", f"child '{child}' is not in the 903 Header file",
                             row=episodes.source_rows[i], column="CHILD")
                continue
            sex, born, ethnicity = people[child]
            decom = e["DECOM"][i]
            is_uasc = child in uasc_until and (uasc_until[child] is None or decom is None or uasc_until[child] > decom)
            for name, value in (
                ("child_id", child), ("date_of_birth", born), ("sex", sex), ("ethnicity", ethnicity),
                ("uasc", is_uasc), ("legal_status", e["LS"][i]), ("period_start", None),
                ("episode_start", decom), ("episode_end", e["DEC"][i]), ("reason_new_episode", e["RNE"][i]),
                ("reason_episode_ceased", given["REC"][i]), ("category_of_need", given["CIN"][i]),
                ("placement_type", e["PLACE"][i]), ("placement_provider", given["PLACE_PROVIDER"][i]),
                ("home_postcode", given["HOME_POST"][i]), ("placement_postcode", given["PL_POST"][i]),
                ("placement_la", given["PL_LA"][i]), ("placed_in_area", given["PL_LOCATION"][i]),
                ("distance_miles", given["PL_DISTANCE"][i]),
            ):
                columns[name].append(value)
            rows.append(episodes.source_rows[i])
        also = [t for t in (header, uasc_table) if t is not None]
        derived = {"PL_LA": "placement_la", "PL_LOCATION": "placed_in_area", "PL_DISTANCE": "distance_miles"}
        lacking = ["period_start", *(name for column, name in derived.items() if column not in episodes.columns)]
        return self.result(CHILDREN_IN_CARE, episodes, dict(columns), rows, also, lacking)

    def missing(self) -> Table:
        table = self.tables[MISSING.name]
        c = table.columns
        count: dict[str, int] = defaultdict(int)
        ids = []
        for child, start in zip(c["CHILD"], c["MIS_START"]):
            base = f"903-{child}-{start:%Y%m%d}" if start else f"903-{child}"
            count[base] += 1
            ids.append(base if count[base] == 1 else f"{base}-{count[base]}")
        midnight = [dt.datetime.combine(d, dt.time()) if d else None for d in c["MIS_START"]]
        ended = [dt.datetime.combine(d, dt.time()) if d else None for d in table.column_or_blank("MIS_END")]
        columns = {"episode_id": ids, "child_id": c["CHILD"], "in_care": [True] * len(table),
                   "missing_from": midnight, "found_at": ended, "absence_type": c["MISSING"]}
        return self.result(MISSING_EPISODES, table, columns, list(table.source_rows))

    def health(self) -> Table:
        table = self.tables[OC2.name]
        columns: dict[str, list] = defaultdict(list)
        rows = []
        year_end = self.year.last_day
        for i, child in enumerate(table.columns["CHILD"]):
            entries = [(kind, table.column_or_blank(flag)[i], None) for kind, flag in OC2_FLAGS]
            entries.append(("sdq", None, table.column_or_blank("SDQ_SCORE")[i]))
            for kind, flag, score in entries:
                if flag is None and score is None:
                    continue
                for name, v in (("child_id", child), ("assessment_type", kind), ("date_due", year_end),
                                ("up_to_date", flag), ("sdq_score", score)):
                    columns[name].append(v)
                rows.append(table.source_rows[i])
        return self.result(HEALTH_ASSESSMENTS, table, dict(columns), rows)

    def care_leavers(self) -> Table:
        table = self.tables[OC3.name]
        columns: dict[str, list] = defaultdict(list)
        rows = []
        for i, (child, born) in enumerate(zip(table.columns["CHILD"], table.columns["DOB"])):
            birthday = birthday_in_year(born, self.year.last_day) if born else None
            age = birthday.year - born.year if birthday else None
            if birthday is None or not 17 <= age <= 21:
                self.problem(table, "row-constraint", "the child's 17th to 21st birthdays do not fall in the "
                             f"collection year {self.year}", row=table.source_rows[i], column="DOB")
                continue
            for name, v in (("child_id", child), ("date_of_birth", born), ("birthday", birthday),
                            ("in_touch", table.columns["IN_TOUCH"][i]), ("activity", table.column_or_blank("ACTIV")[i]),
                            ("accommodation", table.column_or_blank("ACCOM")[i])):
                columns[name].append(v)
            rows.append(table.source_rows[i])
        return self.result(CARE_LEAVERS, table, dict(columns), rows)

    def check_dates(self) -> None:
        """The return's dates against its year: nothing may start or end after 31 March;
        an episode that ended before 1 April is not one the return should list."""
        end = self.year.last_day
        for name, (begins, ends) in _DATES.items():
            table = self.tables.get(name)
            if table is None:
                continue
            for column in (begins, ends):
                for i, day in enumerate(table.column_or_blank(column)):
                    if day is not None and day > end:
                        self.problem(table, "date-after-year", f"{day:%d/%m/%Y} is after the end of the "
                                     f"collection year {self.year} (31/03/{end.year})", row=table.source_rows[i],
                                     column=column)
            if name == EPISODES.name:
                self._check_open_in_year(table, ends)

    def _check_open_in_year(self, table: Table, ends: str) -> None:
        """A return lists the episodes open at any time in its year (as the DfE validator
        requires): one that ended before the year began means the wrong year or file."""
        start = self.year.first_day
        early = [i for i, day in enumerate(table.column_or_blank(ends)) if day is not None and day < start]
        for i in early:
            self.problem(table, "date-before-year", f"the episode ended on {table.columns[ends][i]:%d/%m/%Y}, before "
                         f"the collection year {self.year} began; a return lists the episodes open at any time in "
                         "its year", row=table.source_rows[i], column=ends)
        if early:
            latest = max(table.columns[ends][i] for i in early)
            self.problem(table, "wrong-year", f"{len(early)} episodes ended before the collection year {self.year} "
                         f"began (the latest on {latest:%d/%m/%Y}): is this the {CollectionYear.of(latest)} return "
                         f"(--year {CollectionYear.of(latest)}?)")

    def check_first_episodes(self) -> None:
        """A child's first episode in the year that continues a period of care (RNE not S)
        but begins inside the year: the episode open on 1 April is not in the return (the
        DfE validator's rule 357). The child was in care meanwhile: the metrics carry the
        period over from the earlier return's episode; without it, those months miss them."""
        table = self.tables.get(EPISODES.name)
        if table is None:
            return
        first: dict[str, int] = {}
        for i, (child, start) in enumerate(zip(table.columns["CHILD"], table.columns["DECOM"])):
            if start is not None and (child not in first or start < table.columns["DECOM"][first[child]]):
                first[child] = i
        for child, i in first.items():
            reason, start = table.columns["RNE"][i], table.columns["DECOM"][i]
            if reason not in (None, "S") and start > self.year.first_day:
                self.problem(table, "first-episode-continues", f"child '{child}' starts the year with an episode "
                             f"that continues a period of care (RNE {reason}) from {start:%d/%m/%Y}, but the episode "
                             f"open on {self.year.first_day:%d/%m/%Y} is not in the return: the child is counted in "
                             "care before then only from an earlier return", row=table.source_rows[i],
                             column="DECOM", severity=Severity.WARNING)


def dates_suggest(tables: dict[str, Table]) -> CollectionYear | None:
    """The collection year the return's latest episode or missing date falls in: the
    return's own year, unless nothing began, ended or went missing in it."""
    days = [day for name, columns in _DATES.items() if name in tables
            for column in columns for day in tables[name].column_or_blank(column) if day is not None]
    return CollectionYear.of(max(days)) if days else None


def birthday_in_year(born: dt.date, year_end: dt.date) -> dt.date | None:
    """The birthday of someone born on `born` that falls in the year ending `year_end` (31 March)."""
    year_start = dt.date(year_end.year - 1, 4, 1)
    for year in (year_end.year - 1, year_end.year):
        for month, day in ((born.month, born.day), (2, 28)):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            if year_start <= candidate <= year_end and is_birthday(born, candidate):
                return candidate
    return None


def to_datasets(tables: dict[str, Table], year: CollectionYear | None,
                year_given_as: str = "--year") -> tuple[list[Table], list[Problem]]:
    """Join one return's validated tables onto the scorecard's datasets for its year.

    Without a year, nothing is joined: the problem names the year the dates suggest.
    """
    problems: list[Problem] = []
    used = tables  # the tables no indicator uses were reported and left out when recognised
    if not used:
        return [], problems
    first = next(iter(used.values()))
    suggested = dates_suggest(used)
    if year is None:
        hint = f" (its latest date is in {suggested}: --year {suggested}?)" if suggested else ""
        problems.append(Problem("missing-year", "an SSDA903 return is for one collection year: give it with "
                                f"--year, e.g. --year 2019-20{hint}", file=first.file, sheet=first.sheet))
        return [], problems
    joiner = _Joiner(used, year, problems)
    if suggested is not None and suggested > year:
        problems.append(Problem("wrong-year", f"the return has dates in {suggested}, after the collection year "
                                f"{year} given by {year_given_as}: check the year (--year {suggested}?)",
                                file=first.file, sheet=first.sheet))
    else:
        joiner.check_dates()
        joiner.check_first_episodes()
    results: list[Table] = []
    if EPISODES.name in used:
        cic = joiner.children_in_care()
        if cic is not None:
            results.append(cic)
    else:
        for name in SUPPORTING & used.keys():
            joiner.problem(used[name], "missing-file", f"the {TABLES[name].title} file is only used together with the "
                           "903 Episodes file, which is not in this upload; nothing was loaded from it")
    if MISSING.name in used:
        results.append(joiner.missing())
    if OC2.name in used:
        results.append(joiner.health())
    if OC3.name in used:
        results.append(joiner.care_leavers())
    return results, problems

