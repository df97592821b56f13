"""Writers of a month's extracts as real exports look: title rows, text dates, serial
numbers, Y/N and 1/0, extra columns, totals rows, other sheets, CSV encodings.

`good_month(folder)` writes a valid upload for September 2019; tests spoil copies of
its rows to try each bad input.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_csv, write_xlsx

CIC_HEADER = ["Child ID", "Date of Birth", "Gender", "Ethnicity", "UASC", "Legal Status", "Date Became Looked After",
              "Placement Start Date", "Placement End Date", "RNE", "Reason Episode Ceased", "Placement Type",
              "Provider", "In Area", "Distance (miles)", "District", "Social worker notes"]


def cic_rows() -> list[list]:
    return [
        # a datetime cell, Yes/No flags, ISO text
        ["C001", dt.datetime(2010, 3, 14), "M", "WBRI", "N", "C2", dt.datetime(2018, 1, 5), dt.datetime(2018, 1, 5),
         dt.datetime(2019, 2, 1), "S", "X1", "U4", "PR1", "Y", 3.5, "North", "settled"],
        # the same child's next episode: a change of placement; Excel serial numbers in unformatted cells
        ["C001", "14/03/2010", "Male", "WBRI", None, "C2", 43105, 43497, None, "P", None, "U6", "PR4", "No", 24,
         "North", None],
        # dd/mm/yyyy text, 1/0 flags, SEX as the pre-2024 digit, id typed as a number
        [1002.0, "02/11/2004", 2, "BAFR", 1, "V2", "2019-09-02", "2019-09-02", None, "S", None, "K2", "PR4", 0, 61.2,
         "South", None],
        # a change of legal status that is not a change of placement (RNE L)
        ["C003", "2016-07-01", "F", "MWBC", "N", "E1", "01/06/2017", "01-08-2019", None, "L", None, "A5", "PR1", "Y",
         None, "East", None],
    ]


def write_children_in_care(folder: Path, rows: list[list] | None = None, name: str = "cla.xlsx") -> Path:
    rows = cic_rows() if rows is None else rows
    return write_xlsx(folder / name, {
        "Report": [["Children looked after at 30/09/2019"], ["Run on 01/10/2019 by the BI team"], [],
                   CIC_HEADER, *rows, [], ["Total", None, None, None, None, None, None, None, None, None, None, None,
                                           None, None, None, None, len(rows)]],
        "Filters": [["This report lists..."], ["Filters: all CLA"]],
    }, merge={"Report": ["A1:F1"]})


MISSING_HEADER = ["Missing Episode ID", "Child ID", "Looked After", "Date Reported Missing", "Date Found",
                  "Missing/Away", "District"]


def missing_rows() -> list[list]:
    return [
        ["M1", "C001", "Y", "06/09/2019 21:30", "07/09/2019 10:00", "Missing", "North – Redditch"],
        ["M2", "C001", "Y", "13/09/2019 18:00", "16/09/2019 09:15", "A", "North – Redditch"],
        ["M3", "X900", "N", "2019-09-20 23:10", "2019-09-21 02:00", "M", "Sévérn"],
        ["M4", "X901", "N", "28/09/2019 20:00", None, "M", "South"],
    ]


def write_missing(folder: Path, rows: list[list] | None = None, encoding: str = "cp1252",
                  name: str = "missing.csv") -> Path:
    rows = missing_rows() if rows is None else rows
    return write_csv(folder / name, [["Missing episodes, September 2019"], MISSING_HEADER, *rows], encoding=encoding)


RHI_HEADER = ["Missing ID", "Child ID", "RHI Outcome", "Date Offered", "Date RHI Held"]


def rhi_rows() -> list[list]:
    return [
        ["M1", "C001", "Completed", "07/09/2019 12:00", "09/09/2019 16:00"],
        ["M2", "C001", "Refused by the child", "16/09/2019 12:00", None],
        ["M3", "X900", "completed", "21/09/2019 09:00", "25/09/2019 10:00"],
    ]


def write_rhi(folder: Path, rows: list[list] | None = None, name: str = "rhi.csv") -> Path:
    rows = rhi_rows() if rows is None else rows
    return write_csv(folder / name, [RHI_HEADER, *rows], encoding="utf-8-sig")


VISITS_HEADER = ["Child ID", "Visit Due Date", "Actual Visit Date", "Allocated Team"]


def visit_rows() -> list[list]:
    return [
        ["C001", dt.date(2019, 9, 10), dt.date(2019, 9, 9), "North"],
        ["1002", dt.date(2019, 9, 16), None, "South"],
        ["C003", dt.date(2019, 9, 30), dt.date(2019, 10, 1), "East"],
    ]


def write_visits(folder: Path, rows: list[list] | None = None, name: str = "visits.xlsx") -> Path:
    rows = visit_rows() if rows is None else rows
    return write_xlsx(folder / name, {"Visits": [VISITS_HEADER, *rows]})


def good_month(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_children_in_care(folder), write_missing(folder), write_rhi(folder), write_visits(folder)]


LEAVERS_HEADER = ["Child ID", "DOB", "Relevant Birthday", "In Touch", "Main Activity", "Accommodation"]


def write_care_leavers(folder: Path, rows: list[list], name: str = "leavers.csv") -> Path:
    return write_csv(folder / name, [LEAVERS_HEADER, *rows])
