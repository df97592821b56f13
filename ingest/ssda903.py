"""The SSDA903 return: the CSV files every English council sends the DfE each year.

The return's tables (Header, Episodes, UASC, Missing, OC2, OC3) are recognised by their
exact DfE column names, validated like any other table, and then joined onto the
scorecard's datasets, each stored row keeping the 903 file and row it came from:

- Episodes + Header (+ UASC) -> children in care. Sex, date of birth and ethnicity come
  from Header; the UASC flag from the UASC file (a child listed there is UASC until the
  date UASC status ceased, DUC); the start of each period of care is worked out from
  the run of episodes (a new period starts with RNE = S, or after a gap).
  The 903 has no in-area flag, distance or district: those stay empty.
- Missing -> missing episodes, all of children in care; the 903 records dates only, so
  times are midnight and "within 72 hours" is measured on whole days.
- OC2 -> health assessments: one review and one dental row per child looked after 12
  months at 31 March, with the 903's up-to-date flag (no dates), plus SDQ scores.
- OC3 -> care leavers, with the birthday (17th to 21st) that fell in the collection year.

`--period` for a 903 upload is any month of the collection year; the year ends on the
31 March on or after that month.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from ingest.datasets import CARE_LEAVERS, CHILDREN_IN_CARE, HEALTH_ASSESSMENTS, MISSING_EPISODES
from ingest.parse import Table
from ingest.problems import Problem, Severity
from ingest.schema import Dataset, Field, Kind, is_birthday, not_before

FORMAT = "ssda903"


def _f(name: str, kind: Kind, meaning: str, required: bool = False, codes: str | None = None) -> Field:
    return Field(name, kind, meaning, (name,), required=required, codes=codes)


CHILD = _f("CHILD", Kind.TEXT, "Child identifier", required=True)
DOB = _f("DOB", Kind.DATE, "Date of birth", required=True)

HEADER = Dataset(
    "903_header", "SSDA903 Header", "One row per child: sex, date of birth, ethnicity.",
    (CHILD, _f("SEX", Kind.CODE, "Sex", True, "sex"), DOB, _f("ETHNIC", Kind.CODE, "Ethnicity", True, "ethnicity"),
     _f("UPN", Kind.TEXT, "Unique pupil number"), _f("MOTHER", Kind.TEXT, "Is the child a mother"),
     _f("MC_DOB", Kind.DATE, "Date of birth of the mother's child")),
    key=("CHILD",), source_format=FORMAT,
)
EPISODES = Dataset(
    "903_episodes", "SSDA903 Episodes", "One row per episode of care.",
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
     _f("URN", Kind.TEXT, "Ofsted unique reference number of the placement")),
    key=("CHILD", "DECOM"), rules=(not_before("DECOM", "DEC", "the episode ends before it starts"),),
    source_format=FORMAT,
)
UASC = Dataset(
    "903_uasc", "SSDA903 UASC", "Children who were unaccompanied asylum-seeking children.",
    (CHILD, _f("SEX", Kind.CODE, "Sex", False, "sex"), DOB, _f("DUC", Kind.DATE, "Date UASC status ceased")),
    key=("CHILD",), source_format=FORMAT,
)
MISSING = Dataset(
    "903_missing", "SSDA903 Missing", "Episodes of being missing or away from placement without authorisation.",
    (CHILD, _f("MISSING", Kind.CODE, "Missing or away", True, "missing_type"),
     _f("MIS_START", Kind.DATE, "Date missing started", True), _f("MIS_END", Kind.DATE, "Date missing ended")),
    key=("CHILD", "MIS_START"), rules=(not_before("MIS_START", "MIS_END", "the child was found before going missing"),),
    source_format=FORMAT,
)
OC2 = Dataset(
    "903_oc2", "SSDA903 OC2", "Outcomes for children looked after continuously for 12 months at 31 March.",
    (CHILD, DOB, _f("SDQ_SCORE", Kind.INTEGER, "SDQ total score"), _f("SDQ_REASON", Kind.TEXT, "Reason no SDQ"),
     _f("CONVICTED", Kind.FLAG, "Convicted"), _f("HEALTH_CHECK", Kind.FLAG, "Health assessment up to date"),
     _f("IMMUNISATIONS", Kind.FLAG, "Immunisations up to date"), _f("TEETH_CHECK", Kind.FLAG, "Dental check"),
     _f("HEALTH_ASSESSMENT", Kind.FLAG, "Development assessment up to date"),
     _f("SUBSTANCE_MISUSE", Kind.FLAG, "Substance misuse"),
     _f("INTERVENTION_RECEIVED", Kind.FLAG, "Intervention received"),
     _f("INTERVENTION_OFFERED", Kind.FLAG, "Intervention offered")),
    key=("CHILD",), source_format=FORMAT,
)
OC3 = Dataset(
    "903_oc3", "SSDA903 OC3", "Care leavers with a 17th to 21st birthday in the year.",
    (CHILD, DOB, _f("IN_TOUCH", Kind.CODE, "In touch", True, "in_touch"),
     _f("ACTIV", Kind.CODE, "Activity", False, "activity"), _f("ACCOM", Kind.CODE, "Accommodation", False, "accommodation")),
    key=("CHILD",), source_format=FORMAT,
)

TABLES: dict[str, Dataset] = {d.name: d for d in (HEADER, EPISODES, UASC, MISSING, OC2, OC3)}
SUPPORTING = {HEADER.name, UASC.name}  # joined into Episodes, never loaded on their own


def collection_year_end(period_end: dt.date) -> dt.date:
    year = period_end.year if period_end.month <= 3 else period_end.year + 1
    return dt.date(year, 3, 31)


def _result(dataset: Dataset, source: Table, columns: dict[str, list], rows: list[int],
            also: list[Table] = ()) -> Table:
    return Table(dataset=dataset, file=source.file, sheet=source.sheet, sha256=source.sha256, columns=columns,
                 source_rows=rows, headers={name: name for name in columns},
                 also_from=[{"file": t.file, "sha256": t.sha256} for t in also], source_format=FORMAT)


def _children_in_care(tables: dict[str, Table], problem: Callable[..., None]) -> Table | None:
    episodes = tables[EPISODES.name]
    header = tables.get(HEADER.name)
    if header is None:
        problem(episodes, "missing-file", "the 903 Episodes file needs the 903 Header file (CHILD, SEX, DOB, "
                "ETHNIC, ...) in the same upload: it gives each child's sex, date of birth and ethnicity")
        return None
    people = {c: (s, b, e) for c, s, b, e in zip(header.columns["CHILD"], header.columns["SEX"],
                                                   header.columns["DOB"], header.columns["ETHNIC"])}
    uasc_table = tables.get(UASC.name)
    uasc_until = dict(zip(uasc_table.columns["CHILD"], uasc_table.column_or_blank("DUC"))) if uasc_table else {}
    e = episodes.columns
    by_child: dict[str, list[int]] = defaultdict(list)
    for i, child in enumerate(e["CHILD"]):
        by_child[child].append(i)
    period_start: list[dt.date | None] = [None] * len(episodes)
    for indexes in by_child.values():
        indexes.sort(key=lambda i: e["DECOM"][i] or dt.date.min)
        start, previous_end = None, None
        for i in indexes:
            if start is None or e["RNE"][i] == "S" or previous_end is None or previous_end < e["DECOM"][i]:
                start = e["DECOM"][i]
            period_start[i] = start
            previous_end = e["DEC"][i]
    columns: dict[str, list] = defaultdict(list)
    rows: list[int] = []
    for i, child in enumerate(e["CHILD"]):
        if child not in people:
            problem(episodes, "reference-error", f"child '{child}' is not in the 903 Header file",
                    row=episodes.source_rows[i], column="CHILD")
            continue
        sex, born, ethnicity = people[child]
        decom = e["DECOM"][i]
        is_uasc = child in uasc_until and (uasc_until[child] is None or decom is None or uasc_until[child] > decom)
        for name, value in (
            ("child_id", child), ("date_of_birth", born), ("sex", sex), ("ethnicity", ethnicity),
            ("uasc", is_uasc), ("legal_status", e["LS"][i]), ("period_start", period_start[i]),
            ("episode_start", decom), ("episode_end", e["DEC"][i]), ("reason_new_episode", e["RNE"][i]),
            ("reason_episode_ceased", episodes.column_or_blank("REC")[i]),
            ("category_of_need", episodes.column_or_blank("CIN")[i]), ("placement_type", e["PLACE"][i]),
            ("placement_provider", episodes.column_or_blank("PLACE_PROVIDER")[i]),
            ("home_postcode", episodes.column_or_blank("HOME_POST")[i]),
            ("placement_postcode", episodes.column_or_blank("PL_POST")[i]),
        ):
            columns[name].append(value)
        rows.append(episodes.source_rows[i])
    also = [t for t in (header, uasc_table) if t is not None]
    return _result(CHILDREN_IN_CARE, episodes, dict(columns), rows, also)


def _missing(table: Table) -> Table:
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
    return _result(MISSING_EPISODES, table, columns, list(table.source_rows))


def _health(table: Table, year_end: dt.date) -> Table:
    columns: dict[str, list] = defaultdict(list)
    rows = []
    flags = (("review", "HEALTH_CHECK"), ("dental", "TEETH_CHECK"))
    for i, child in enumerate(table.columns["CHILD"]):
        for kind, flag in flags:
            value = table.column_or_blank(flag)[i]
            if value is not None:
                for name, v in (("child_id", child), ("assessment_type", kind), ("date_due", year_end),
                                ("up_to_date", value), ("sdq_score", None)):
                    columns[name].append(v)
                rows.append(table.source_rows[i])
        score = table.column_or_blank("SDQ_SCORE")[i]
        if score is not None:
            for name, v in (("child_id", child), ("assessment_type", "sdq"), ("date_due", year_end),
                            ("up_to_date", None), ("sdq_score", score)):
                columns[name].append(v)
            rows.append(table.source_rows[i])
    return _result(HEALTH_ASSESSMENTS, table, dict(columns), rows)


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


def _care_leavers(table: Table, year_end: dt.date, problem: Callable[..., None]) -> Table:
    columns: dict[str, list] = defaultdict(list)
    rows = []
    for i, (child, born) in enumerate(zip(table.columns["CHILD"], table.columns["DOB"])):
        birthday = birthday_in_year(born, year_end) if born else None
        age = birthday.year - born.year if birthday else None
        if birthday is None or not 17 <= age <= 21:
            problem(table, "row-constraint", "the child's 17th to 21st birthdays do not fall in the collection "
                    f"year ending {year_end:%d/%m/%Y}", row=table.source_rows[i], column="DOB")
            continue
        for name, v in (("child_id", child), ("date_of_birth", born), ("birthday", birthday),
                        ("in_touch", table.columns["IN_TOUCH"][i]), ("activity", table.column_or_blank("ACTIV")[i]),
                        ("accommodation", table.column_or_blank("ACCOM")[i])):
            columns[name].append(v)
        rows.append(table.source_rows[i])
    return _result(CARE_LEAVERS, table, dict(columns), rows)


def to_datasets(tables: dict[str, Table], period_end: dt.date) -> tuple[list[Table], list[Problem]]:
    """Join validated 903 tables onto the scorecard's datasets."""
    problems: list[Problem] = []

    def problem(source: Table, code: str, message: str, row: int | None = None, column: str | None = None,
                severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(code=code, message=message, file=source.file, sheet=source.sheet, row=row,
                                column=column, severity=severity))

    year_end = collection_year_end(period_end)
    results: list[Table] = []
    if EPISODES.name in tables:
        cic = _children_in_care(tables, problem)
        if cic is not None:
            results.append(cic)
    else:
        for name in SUPPORTING & tables.keys():
            problem(tables[name], "missing-file", f"the {TABLES[name].title} file is only used together with the "
                    "903 Episodes file, which is not in this upload; nothing was loaded from it")
    if MISSING.name in tables:
        results.append(_missing(tables[MISSING.name]))
    if OC2.name in tables:
        results.append(_health(tables[OC2.name], year_end))
    if OC3.name in tables:
        results.append(_care_leavers(tables[OC3.name], year_end, problem))
    return results, problems
