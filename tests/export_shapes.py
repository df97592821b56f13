"""Monthly exports in the shapes councils' case-management systems produce.

The scorecard is tried on LiquidLogic, Mosaic and Eclipse exports nobody here has seen,
so a test must not know one layout. Each dataset has canonical records (hand-written
below, with the figures they give worked out in comments) and a vocabulary of how real
exports write them: several header wordings per field (some the product accepts as
they are, some an analyst must map once with `scorecard mapping set`), values as the
DfE code, its label or words close to it, flags and dates in every common form, a date
and its time in two columns, a birthday as the age reached. A `Shape` is one seeded
draw from that vocabulary: column order, extra columns, title rows, blank rows, totals
and footer rows, file format, encoding and separator. `write_shape` writes it as a
file (xlsx with openpyxl, another library than the one the product reads with; CSV in
the encodings Windows tools write) and says which row of the file each record is on.

Nothing here imports the product: what the product must make of a file is written
down independently, so a test compares the two.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PERIOD = "2019-09"
MONTH_FIRST, MONTH_LAST = dt.date(2019, 9, 1), dt.date(2019, 9, 30)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- Canonical records: what every shape of a dataset's export says -----------------------------

def _records(names: str, *rows: tuple) -> tuple[dict, ...]:
    keys = names.split()
    return tuple(dict(zip(keys, row)) for row in rows)


CHILDREN_IN_CARE = _records(
    "child_id date_of_birth sex ethnicity uasc legal_status period_start episode_start episode_end "
    "reason_new_episode reason_episode_ceased placement_type placement_provider placed_in_area distance_miles district",
    # Two episodes of one child: a change of placement in February.
    ("100101", d("2010-03-14"), "M", "WBRI", False, "C2", d("2018-01-05"), d("2018-01-05"), d("2019-02-01"),
     "S", "X1", "U4", "PR1", True, 3.5, "North – Redditch"),
    ("100101", d("2010-03-14"), "M", "WBRI", False, "C2", d("2018-01-05"), d("2019-02-01"), None,
     "P", None, "U6", "PR4", False, 24.0, "North – Redditch"),
    ("100102", d("2004-11-02"), "F", "BAFR", True, "V2", d("2019-09-02"), d("2019-09-02"), None,
     "S", None, "K2", "PR4", False, 61.2, "South"),
    # A change of legal status only (RNE L); no distance recorded.
    ("100103", d("2016-07-01"), "F", "MWBC", False, "E1", d("2017-06-01"), d("2019-08-01"), None,
     "L", None, "A5", "PR1", True, None, "East"),
    # Left care on the last day of the month: not in care at the month end.
    ("100104", d("2008-05-20"), "M", "WBRI", False, "C1", d("2019-03-10"), d("2019-03-10"), d("2019-09-30"),
     "S", "E4A", "U6", "PR1", True, 2.0, "Sévérn"),
    ("100105", d("2012-12-12"), "F", "WIRT", False, "C2", d("2015-04-01"), d("2015-04-01"), None,
     "S", None, "U4", "PR2", True, 8.0, "East"),
    ("100106", d("2003-09-29"), "M", "AOTH", True, "V2", d("2019-06-15"), d("2019-06-15"), None,
     "S", None, "H5", "PR4", False, 120.0, "South"),
)
# At 30/09/2019: 100101, 100102, 100103, 100105, 100106 in care (5); UASC 100102, 100106 (2 of 5);
# placed out of area, of the 3 not UASC with the area known: 100101 (1 of 3); 20 miles or more,
# of the 4 with a distance: 100101, 100102, 100106 (3 of 4).

VISITS = _records(
    "child_id date_due date_done team",
    ("100101", d("2019-09-10"), d("2019-09-09"), "North"),
    ("100102", d("2019-09-16"), None, "South"),
    ("100103", d("2019-09-30"), d("2019-09-30"), "East"),       # done on the day it was due: in time
    ("100104", d("2019-09-03"), d("2019-09-05"), "North"),      # late
    ("100105", d("2019-08-28"), d("2019-08-27"), "East"),       # due last month, repeated
    ("100101", d("2019-09-24"), d("2019-09-20"), "North"),
    ("100106", d("2019-10-08"), None, "South"),                 # next visit, due next month
)
# Due in September: 5; done by the due date: 3 (60%).

MISSING_EPISODES = _records(
    "episode_id child_id in_care missing_from found_at absence_type district",
    ("50101", "100101", True, t("2019-09-02 21:30"), t("2019-09-03 08:15"), "M", "North – Redditch"),
    ("50102", "100101", True, t("2019-09-14 18:00"), t("2019-09-16 09:15"), "A", "North – Redditch"),
    ("50103", "100102", True, t("2019-08-30 23:10"), t("2019-09-01 02:00"), "M", "South"),   # began in August
    ("50104", "200107", False, t("2019-09-20 23:10"), t("2019-09-21 02:00"), "M", "Sévérn"),
    ("50105", "100103", True, t("2019-09-28 20:00"), None, "M", "East"),                     # still missing
    ("50106", "100104", True, t("2019-09-30 22:00"), t("2019-09-30 23:45"), "A", "East"),
    ("50107", "200108", False, t("2019-08-10 10:00"), t("2019-08-11 10:00"), None, "North – Redditch"),
    ("50108", "100102", True, t("2019-09-05 00:30"), t("2019-09-05 06:00"), "M", "South"),
    ("50109", "200109", False, t("2019-09-10 07:00"), t("2019-09-10 19:00"), "M", None),
    ("50110", "100105", True, t("2019-09-12 12:00"), t("2019-09-13 12:05"), "A", "East"),
)
# Started in September: 8 episodes (all but 50103 and 50107) of 7 children.
# Ended in September: 8 (all but 50105, still missing, and 50107, in August).

RETURN_INTERVIEWS = _records(
    "episode_id child_id outcome offered_at held_at",
    ("50101", "100101", "completed", t("2019-09-03 12:00"), t("2019-09-05 16:00")),   # 55 h 45 after found
    ("50102", "100101", "refused_child", t("2019-09-16 12:00"), None),
    ("50103", "100102", "completed", t("2019-09-02 09:00"), t("2019-09-04 02:00")),   # exactly 72 h
    ("50104", "200107", "completed", None, t("2019-09-24 10:00")),                     # 80 h
    ("50106", "100104", "refused_parent", t("2019-09-30 23:50"), None),
    ("50107", "200108", "completed", t("2019-08-11 12:00"), t("2019-08-12 11:00")),   # an August episode
    ("50108", "100102", "missing_again", t("2019-09-06 10:00"), None),
    ("50109", "200109", "not_completed", t("2019-09-11 10:00"), None),
    ("50110", "100105", "exempt", None, None),
)
# Of the 8 episodes ended in September, 3 had a completed interview (37.5%), 2 of them
# within 72 hours (66.7%); 5 were not completed.

HEALTH_ASSESSMENTS = _records(
    "child_id assessment_type looked_after_date date_due date_completed placed_in_area host_la sdq_score",
    # 20 working days after 12/08/2019, skipping the 26 August bank holiday: 10/09/2019.
    ("100102", "initial", d("2019-08-12"), d("2019-09-10"), d("2019-09-06"), False, "E10000034", None),
    ("100106", "initial", d("2019-08-19"), d("2019-09-17"), d("2019-09-20"), False, "E09000033", None),  # late
    ("300110", "initial", d("2019-09-02"), d("2019-09-30"), None, True, None, None),                     # not done
    ("300111", "initial", d("2019-07-01"), d("2019-07-29"), d("2019-07-20"), True, None, None),          # July
    ("100101", "review", None, d("2019-09-15"), d("2019-09-12"), False, None, None),
    ("100105", "dental", None, d("2019-09-01"), d("2019-09-03"), True, None, None),
    ("100103", "sdq", None, None, d("2019-09-10"), True, None, 14),
)
# Initial assessments due in September: 3; done in time: 1 (33.3%).

CARE_LEAVERS = _records(
    "child_id date_of_birth birthday in_touch activity accommodation",
    ("400101", d("2001-09-10"), d("2019-09-10"), "YES", "F2", "B1"),     # 18
    ("400102", d("2002-09-25"), d("2019-09-25"), "NO", "0", None),       # 17
    ("400103", d("1999-09-03"), d("2019-09-03"), "REFU", "0", None),     # 20
    ("400104", d("1998-09-30"), d("2019-09-30"), "YES", "F5", "U1"),     # 21
    ("400105", d("2000-08-15"), d("2019-08-15"), "YES", "G4", "D2"),     # 19, last month
    ("400106", d("2000-02-29"), d("2019-02-28"), "YES", "F1", "U1"),     # 19, born on 29 February
    ("400107", d("2001-10-01"), d("2018-10-01"), "NREQ", None, None),    # 17, eleven months ago
    ("400108", d("2000-09-12"), d("2019-09-12"), "RHOM", "0", None),     # 19
)
# Birthdays in the 12 months to 30/09/2019: all 8. Aged 17-18: 3, in touch 1 (33.3%);
# aged 19-21: 5, in touch 3 (60%).


# --- How real exports word things -------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    text: str
    known: bool
    """The product must recognise it as written (README, "Loading a month"); False: the
    analyst maps it once with `scorecard mapping set`."""
    reordered: bool = False
    """Known only as the words of an accepted header in another order ("Located Date")."""


def known(*texts: str) -> tuple[Header, ...]:
    return tuple(Header(text, True) for text in texts)


def reordered(*texts: str) -> tuple[Header, ...]:
    """Accepted headers' words in another order: the product must recognise them too."""
    return tuple(Header(text, True, reordered=True) for text in texts)


def unknown(*texts: str) -> tuple[Header, ...]:
    return tuple(Header(text, False) for text in texts)


ID, TEXT, DATE, DATETIME, FLAG, CODE, NUMBER, INTEGER = "id text date datetime flag code number integer".split()


@dataclass(frozen=True)
class Spec:
    """One field of a dataset as exports write it."""

    name: str
    kind: str
    headers: tuple[Header, ...]
    required: bool = False
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """code -> wordings that must read as that code: its label, aliases, words close to the label."""
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """code -> wordings an analyst uses for it that must NOT match any code on their own."""
    split: tuple[tuple[Header, Header], ...] = ()
    """(date column, time column) pairs an export splits a date and time into."""
    time_field: str = ""
    flags: tuple[tuple[Any, Any], ...] = ()
    """(true, false) forms beyond the common ones."""
    needed: Callable[[Sequence[dict]], bool] | None = None
    """Optional in the dataset, but these records cannot load without it."""
    ages: tuple[Header, ...] = ()
    """Headers of a column giving the age reached instead of the birthday's date."""


CHILD_ID = Spec("child_id", ID, known("Child ID", "CHILD", "Person ID", "Client ID", "LCS ID", "Mosaic ID",
                                      "Eclipse ID", "Child Number", "Child Identifier", "child_id")
                + unknown("Child Reference", "Young Person ID", "Child Ref"), required=True)

MISSING_SPECS = (
    Spec("episode_id", ID, known("Episode ID", "Missing Episode ID", "Missing ID", "Episode Reference",
                                 "Missing Episode Reference", "Episode Number")
         + unknown("Missing Episode No", "Episode Ref", "Missing Incident ID"), required=True),
    CHILD_ID,
    Spec("in_care", FLAG, known("In Care", "Looked After", "CLA", "LAC", "Child in Care", "Is CLA",
                                "Looked After Child", "In Care at Start") + reordered("Child Looked After")
         + unknown("Looked After Status", "CLA Flag"), required=True),
    Spec("missing_from", DATETIME, known("Missing From", "MIS_START", "Date Missing", "Missing Date",
                                         "Date Reported Missing", "Missing Start Date/Time", "Date/Time Missing",
                                         "Date Went Missing") + reordered("Reported Missing Date", "Start Date Missing")
         + unknown("Date Went AWOL", "Missing Episode Start"), required=True,
         split=(known("Date Missing", "Time Missing"), known("Missing Date", "Missing Time"),
                known("Missing Start Date", "Missing Start Time"), known("Missing From Date", "Missing From Time"),
                known("Date Went Missing", "Time Went Missing"), unknown("Date Went AWOL", "Time Went AWOL")),
         time_field="missing_time"),
    Spec("found_at", DATETIME, known("Found", "MIS_END", "Date Found", "Found Date", "Date Returned",
                                     "Missing End Date/Time", "Date Located", "Date/Time Found", "Missing To")
         + reordered("Located Date", "Returned Date")
         + unknown("Date Child Found", "Date Recovered"),
         split=(known("Date Found", "Time Found"), known("Found Date", "Found Time"), known("Return Date", "Return Time"),
                known("Missing End Date", "Missing End Time"), known("Date Located", "Time Located"),
                unknown("Date Recovered", "Time Recovered")),
         time_field="found_time"),
    Spec("absence_type", CODE, known("Missing or Away", "MISSING", "Absence Type", "Missing/Away", "Type")
         + unknown("Absence Category"),
         codes={"M": ("Missing from care", "Missing", "Missing from placement", "missing - from care"),
                "A": ("Away from placement without authorisation", "Away", "AWOL", "Absent",
                      "Away from placement", "Away without authorisation")}),
    Spec("district", TEXT, known("District", "Team", "Locality", "Area Team", "Responsible Team")
         + unknown("Locality Team")),
)

RHI_SPECS = (
    Spec("episode_id", ID, known("Missing Episode ID", "Episode ID", "Missing ID", "Episode Reference")
         + unknown("Missing Episode No", "Episode Ref"), required=True),
    CHILD_ID,
    Spec("outcome", CODE, known("Outcome", "RHI Outcome", "Interview Outcome", "Status", "RHI Status")
         + reordered("Outcome of Interview") + unknown("Return Interview Result"), required=True,
         codes={"completed": ("Completed", "Done", "Held", "Yes", "RHI completed", "COMPLETED", "Complete"),
                "refused_child": ("Refused by the child", "Child refused", "Declined by child", "Refused by child",
                                  "Refused - child", "Child refuses"),
                "refused_parent": ("Refused by the parent or carer", "Parent refused", "Carer refused",
                                   "Refused by parent", "Refused by carer", "Parent/carer refused"),
                "exempt": ("Exempt", "Not required", "Not applicable"),
                "missing_again": ("Missing again before it could be held", "Missing again", "Went missing again",
                                  "Missing again - before it could be held"),
                "not_completed": ("Not completed", "Not done", "Not held", "Not complete")},
         ambiguous={"refused_child": ("Refused", "Declined"), "refused_parent": ("Refused", "Declined")}),
    Spec("offered_at", DATETIME, known("Date Offered", "Offered", "RHI Offered", "Date RHI Offered", "Offer Date",
                                       "Date Interview Offered") + reordered("Offered Date")
         + unknown("Offer Made On"),
         split=(known("Date Offered", "Time Offered"), known("Offer Date", "Offer Time"),
                known("RHI Offer Date", "RHI Offer Time")),
         time_field="offered_time"),
    Spec("held_at", DATETIME, known("Date Held", "Interview Date", "RHI Date", "Date RHI Held", "Date of RHI",
                                    "Date of Interview", "RHI Held Date", "Date Interview Held", "RHI Date/Time")
         + reordered("Held Date", "Completed Date")
         + unknown("RHI Completed On", "Date Interview Took Place"),
         split=(known("Date Held", "Time Held"), known("Interview Date", "Interview Time"), known("RHI Date", "RHI Time"),
                known("Date of Interview", "Time of Interview"), unknown("Date Interview Took Place", "Time Of Day")),
         time_field="held_time", needed=lambda records: any(r["outcome"] == "completed" for r in records)),
)

VISIT_SPECS = (
    CHILD_ID,
    Spec("date_due", DATE, known("Date Due", "Due Date", "Visit Due Date", "Visit Due", "Next Visit Due")
         + reordered("Date Visit Due", "Due By Date")
         + unknown("Statutory Visit Due"), required=True),
    Spec("date_done", DATE, known("Date Done", "Visit Date", "Date of Visit", "Actual Visit Date", "Date Visited",
                                  "Completed Date") + reordered("Visited Date", "Date Completed")
         + unknown("Date Child Seen", "Visit Completed On")),
    Spec("team", TEXT, known("Team", "Allocated Team", "Social Worker Team", "Locality", "District")
         + unknown("Worker Team")),
)

AREA_FLAGS = (("In", "Out"), ("In Area", "Out of Area"), ("In county", "Out of county"))
IN_AREA = known("Placed In Area", "In Area", "Placed In County", "In County", "PL_LOCATION", "In/Out of Area",
                "Placement Location") + unknown("Area Flag")

CIC_SPECS = (
    CHILD_ID,
    Spec("date_of_birth", DATE, known("Date of Birth", "DOB", "Birth Date") + unknown("Child DOB", "Date Born"),
         required=True),
    Spec("sex", CODE, known("Sex", "SEX", "Gender") + unknown("Sex at Birth", "Legal Gender"), required=True,
         codes={"M": ("Male", "male", "MALE"), "F": ("Female", "female", "FEMALE")}),
    Spec("ethnicity", CODE, known("Ethnicity", "ETHNIC", "Ethnic Origin", "Ethnic Group", "Ethnicity Code")
         + unknown("Ethnic Background"),
         codes={"WBRI": ("White British", "White - British", "British - White"),
                "BAFR": ("African", "Black - African", "Black African"),
                "MWBC": ("White and Black Caribbean", "Mixed - White and Black Caribbean"),
                "WIRT": ("Traveller of Irish heritage", "White - Traveller of Irish heritage", "Irish Traveller"),
                "AOTH": ("Any other Asian background", "Asian - Any other Asian background", "Other Asian")}),
    Spec("uasc", FLAG, known("UASC", "Unaccompanied Asylum Seeking Child", "UASC Flag", "Is UASC", "UASC Status")
         + unknown("UASC Y/N"), required=True, flags=(("Y", None), ("Yes", None))),
    Spec("legal_status", CODE, known("Legal Status", "LS", "Legal Status Code", "Legal Status (LS)")
         + unknown("Current Legal Status"), required=True,
         codes={"C1": ("Interim care order", "ICO", "Interim care"),
                "C2": ("Full care order", "Care order", "Care Order - Full"),
                "E1": ("Placement order granted", "Placement order"),
                "V2": ("Single period of accommodation under section 20 (Children Act 1989)", "Section 20", "S20")}),
    Spec("period_start", DATE, known("Period of Care Start", "Date Became Looked After", "Period Start",
                                     "Date Looked After", "CLA Start Date", "POC_START", "Care Start Date")
         + unknown("Period of Care Start Date", "Date Became CLA"), required=True),
    Spec("episode_start", DATE, known("Episode Start", "DECOM", "Episode Start Date", "Placement Start Date",
                                      "Date Episode Commenced", "Start Date") + reordered("Date Episode Start")
         + unknown("Episode Commenced On", "Episode Begin Date"), required=True),
    Spec("episode_end", DATE, known("Episode End", "DEC", "Episode End Date", "Placement End Date",
                                    "Date Episode Ceased", "End Date") + reordered("Date Episode End")
         + unknown("Episode Ceased On"), needed=lambda records: any(r["reason_episode_ceased"] for r in records)),
    Spec("reason_new_episode", CODE, known("Reason for New Episode", "RNE", "Reason Episode Started", "Start Reason")
         + reordered("New Episode Reason") + unknown("Episode Start Reason Code"),
         codes={"S": ("Started to be looked-after", "Started", "Entered care"),
                "P": ("Change of placement and carer(s) only", "Placement change", "Change of placement and carer"),
                "L": ("Change of legal status only", "Legal status change")}),
    Spec("reason_episode_ceased", CODE, known("Reason Episode Ceased", "REC", "Reason Episode Ended", "End Reason",
                                              "Reason Ceased")
         + unknown("Episode End Reason"),
         codes={"X1": ("Episode ceases, and new episode begins on same day, for any reason", "Episode continues",
                       "Change of episode"),
                "E4A": ("Returned home (planned)", "Return home planned")}),
    Spec("placement_type", CODE, known("Placement Type", "PLACE", "Placement Code", "Placement")
         + reordered("Type of Placement") + unknown("Placement Type Code"), required=True,
         codes={"U4": ("Foster placement with other foster carer(s) - long term fostering", "Long term foster care",
                       "Foster placement with other foster carer - long term fostering"),
                "U6": ("Foster placement with other foster carer(s) - not long term or fostering for adoption/"
                       "concurrent planning", "Foster care", "Mainstream foster care"),
                "K2": ("Children's Homes subject to Children's Homes Regulations", "Children's home",
                       "Residential children's home", "Children’s home"),  # a curly apostrophe, as Word and Excel type
                "A5": ("Placed for adoption with placement order with current foster carer(s) (s21 Adoption and "
                       "Children Act 2002) or with a freeing order where consent was dispensed with",),
                "H5": ("Semi-independent living accommodation not subject to children's homes regulations",
                       "Semi-independent", "Semi independent living")},
         ambiguous={"U4": ("Fostering",), "U6": ("Fostering",)}),
    Spec("placement_provider", CODE, known("Placement Provider", "PLACE_PROVIDER", "Provider", "Provider Type")
         + unknown("Placement Provider Category"), required=True,
         codes={"PR1": ("In house", "In-house", "Own provision", "Own LA"),
                "PR2": ("Other LA", "Other local authority", "Another LA"),
                "PR4": ("Private provision", "Private", "Agency", "IFA", "Private provider", "Provision - private")}),
    Spec("placed_in_area", FLAG, IN_AREA, flags=AREA_FLAGS),
    Spec("distance_miles", NUMBER, known("Distance (miles)", "PL_DISTANCE", "Distance", "Placement Distance", "Miles")
         + unknown("Distance From Home")),
    Spec("district", TEXT, known("District", "Locality", "Area", "Area Team", "Responsible Team")
         + unknown("Locality Team")),
)

HEALTH_SPECS = (
    CHILD_ID,
    Spec("assessment_type", CODE, known("Assessment Type", "Type", "Health Assessment Type", "Assessment")
         + reordered("Type of Assessment") + unknown("Health Check Type"), required=True,
         codes={"initial": ("Initial health assessment", "IHA", "Initial Health Assessment", "Initial assessment",
                            "Health assessment - initial"),
                "review": ("Review health assessment", "RHA", "Annual health assessment", "Review assessment",
                           "Health assessment - review"),
                "dental": ("Dental check", "Dental", "Dentist", "Check - dental"),
                "sdq": ("Strengths and difficulties questionnaire", "SDQ", "Strengths & Difficulties Questionnaire")}),
    Spec("looked_after_date", DATE, known("Date Became Looked After", "Looked After Date", "CLA Start Date",
                                          "Period of Care Start", "Date Looked After", "Period Start")
         + unknown("Date Entered Care"), needed=lambda records: any(r["assessment_type"] == "initial" for r in records)),
    Spec("date_due", DATE, known("Date Due", "Due Date", "Assessment Due") + unknown("Assessment Due Date"),
         needed=lambda records: any(r["date_completed"] is None for r in records)),
    Spec("date_completed", DATE, known("Date Completed", "Completed", "Assessment Date", "Date of Assessment",
                                       "Completed Date", "Date Done") + reordered("Done Date")
         + unknown("Date Assessment Completed"), needed=lambda records: any(r["date_due"] is None for r in records)),
    Spec("placed_in_area", FLAG, IN_AREA, flags=AREA_FLAGS),
    Spec("host_la", TEXT, known("Host LA", "Host Authority", "Host Council", "Host Local Authority")
         + unknown("Host Area")),
    Spec("sdq_score", INTEGER, known("SDQ Score", "SDQ_SCORE", "SDQ Total") + unknown("SDQ Result")),
)

LEAVER_SPECS = (
    CHILD_ID,
    Spec("date_of_birth", DATE, known("Date of Birth", "DOB", "Birth Date") + unknown("Child DOB", "Date Born"),
         required=True),
    Spec("birthday", DATE, known("Birthday", "Relevant Birthday", "Birthday Date", "Date of Birthday",
                                 "Date of Relevant Birthday", "Birthday in Period", "Birthday (17th-21st)")
         + reordered("Relevant Birthday Date") + unknown("Birthday Milestone Date"), required=True,
         ages=known("Age at Birthday", "Age", "Birthday Age", "Relevant Age", "Age Reached", "Age at Relevant Birthday")
         + reordered("Age on Birthday") + unknown("Age at Milestone")),
    Spec("in_touch", CODE, known("In Touch", "IN_TOUCH", "Contact") + unknown("In Touch Status", "Keeping in Touch"),
         required=True,
         codes={"YES": ("Yes - in touch", "Y", "Yes", "In touch", "LA in touch", "Yes, in touch", "In touch - yes"),
                "NO": ("No - not in touch", "N", "No", "Not in touch", "No, not in touch"),
                "REFU": ("Young person refuses contact", "Refused", "Refuses contact", "Declined contact",
                         "Young person refused contact", "Refused contact"),
                "NREQ": ("Young person no longer requires children's social care services",
                         "No longer requires services", "Not required", "Young person no longer requires services"),
                "RHOM": ("Returned home", "Returned home 6 months", "Returned home (6 months)")},
         ambiguous={"NO": ("No contact",), "RHOM": ("Returned",)}),
    Spec("activity", CODE, known("Activity", "ACTIV", "Main Activity", "EET Status") + unknown("Main Activity Code"),
         codes={"F1": ("Young person engaged full time in higher education (for example studies beyond A level)",
                       "Full time higher education", "University full time"),
                "F2": ("Young person engaged full time in education other than higher education", "Full time education",
                       "College full time"),
                "F5": ("Young person engaged full time in training or employment (not apprenticeship)",
                       "Full time employment", "Employed full time"),
                "G4": ("Young person not in education, employment or training because of illness or disability",
                       "NEET - illness or disability", "NEET illness"),
                "0": ("Activity not known: not in touch, or young person has died or returned home for 6 months or "
                      "more", "Not known", "Unknown")}),
    Spec("accommodation", CODE, known("Accommodation", "ACCOM", "Accommodation Type") + unknown("Living Arrangement"),
         codes={"B1": ("With parent(s) or relative(s) - suitable", "With parents - suitable"),
                "U1": ("Independent living (independent tenancy of flat, house or bedsit, incl. LA/housing "
                       "association tenancy or college/university accommodation; includes flat sharing) - suitable",
                       "Independent living - suitable", "Own tenancy - suitable"),
                "D2": ("Semi-independent, transitional accommodation (supported hostel, trainer flats, self-contained "
                       "with specialist or floating support) - not suitable", "Semi-independent - unsuitable",
                       "Supported hostel - unsuitable")}),
)


@dataclass(frozen=True)
class Dataset:
    name: str
    """The product's dataset name."""
    titles: tuple[str, ...]
    specs: tuple[Spec, ...]
    records: tuple[dict, ...]
    extras: tuple[tuple[str, tuple[Any, ...]], ...]
    """Columns the product does not use: header and the values they hold."""


PEOPLE = ("J Smith", "A Patel", "K O'Brien", "Zoë Ellis", None)
NOTES = ("Settled", "See case file", None, "Placement stable", None)
DATASETS = {d.name: d for d in (
    Dataset("children_in_care", ("Children Looked After Report", "CLA at 30/09/2019"), CIC_SPECS, CHILDREN_IN_CARE,
            (("Social worker", PEOPLE), ("Notes", NOTES), ("Ofsted URN", ("SC123456", "2529871", None)))),
    Dataset("visits", ("Statutory Visits Report", "Visits due September 2019"), VISIT_SPECS, VISITS,
            (("Social worker", PEOPLE), ("Notes", NOTES), ("Visit type", ("Statutory", "Statutory (6 weekly)")))),
    Dataset("missing_episodes", ("Missing Episodes", "Missing and absent children - September 2019"), MISSING_SPECS,
            MISSING_EPISODES,
            (("Social worker", PEOPLE), ("Notes", NOTES), ("Risk level", ("High", "Medium", "Low")),
             ("Police reference", ("MP/19/001", "MP/19/002", None)))),
    Dataset("return_interviews", ("Return Home Interviews", "RHI report"), RHI_SPECS, RETURN_INTERVIEWS,
            (("Social worker", PEOPLE), ("Notes", NOTES), ("Interviewer", ("Barnardo's", "In house worker")))),
    Dataset("health_assessments", ("CLA Health Assessments", "Health report for September 2019"), HEALTH_SPECS,
            HEALTH_ASSESSMENTS, (("Social worker", PEOPLE), ("Notes", NOTES), ("Health provider", ("CCG", "NHS")))),
    Dataset("care_leavers", ("Care Leavers Report", "Relevant birthdays"), LEAVER_SPECS, CARE_LEAVERS,
            (("Personal adviser", PEOPLE), ("Notes", NOTES))),
)}


# --- Value forms -------------------------------------------------------------------------------

def serial(moment: dt.date) -> float:
    """An Excel serial number: days since 30/12/1899, with the time as a fraction."""
    if not isinstance(moment, dt.datetime):
        return (moment - EXCEL_EPOCH.date()).days
    return (moment - EXCEL_EPOCH).total_seconds() / 86400


# name -> (a text form, so written in CSV files too?, writer). The others are xlsx cells.
DATE_FORMS: dict[str, tuple[bool, Callable[[dt.date], Any]]] = {
    "cell": (False, lambda v: v),
    "serial": (False, lambda v: int(serial(v))),
    "dd/mm/yyyy": (True, lambda v: v.strftime("%d/%m/%Y")),
    "d/m/yyyy": (True, lambda v: f"{v.day}/{v.month}/{v.year}"),
    "iso": (True, lambda v: v.isoformat()),
    "d Mon yyyy": (True, lambda v: v.strftime("%d %b %Y")),
    "dd-Mon-yyyy": (True, lambda v: v.strftime("%d-%b-%Y")),
    "dd.mm.yyyy": (True, lambda v: v.strftime("%d.%m.%Y")),
}
DATETIME_FORMS: dict[str, tuple[bool, Callable[[dt.datetime], Any]]] = {
    "cell": (False, lambda v: v),
    "serial": (False, serial),
    "dd/mm/yyyy hh:mm": (True, lambda v: v.strftime("%d/%m/%Y %H:%M")),
    "dd/mm/yyyy hh:mm:ss": (True, lambda v: v.strftime("%d/%m/%Y %H:%M:%S")),
    "iso": (True, lambda v: v.isoformat(sep=" ")),
    "iso T": (True, lambda v: v.strftime("%Y-%m-%dT%H:%M")),
    "iso with milliseconds": (True, lambda v: v.strftime("%Y-%m-%d %H:%M:%S.000")),  # SQL Server reports
    "d Mon yyyy hh:mm": (True, lambda v: v.strftime("%d %b %Y %H:%M")),
}
TIME_FORMS: dict[str, tuple[bool, Callable[[dt.time], Any]]] = {
    "cell": (False, lambda v: v),
    "hh:mm": (True, lambda v: v.strftime("%H:%M")),
    "hh:mm:ss": (True, lambda v: v.strftime("%H:%M:%S")),
    "h:mm am/pm": (True, lambda v: f"{(v.hour - 1) % 12 + 1}:{v.minute:02d} {'PM' if v.hour >= 12 else 'AM'}"),
    "hhmm": (True, lambda v: v.strftime("%H%M")),
}
FLAG_FORMS: tuple[tuple[Any, Any], ...] = (("Y", "N"), ("Yes", "No"), ("1", "0"), ("True", "False"), ("TRUE", "FALSE"),
                                            ("y", "n"), ("YES", "NO"))
XLSX_FLAG_FORMS: tuple[tuple[Any, Any], ...] = ((True, False), (1, 0))
NOTE_BY_KIND = {DATE: "(dd/mm/yyyy)", DATETIME: "(dd/mm/yyyy hh:mm)", FLAG: "(Y/N)", CODE: "(code)", ID: "(system ID)",
                TEXT: "(as recorded)", NUMBER: "(number)", INTEGER: "(number)"}


# --- A shape: one seeded draw from the vocabulary ------------------------------------------------

@dataclass
class Column:
    """One column of the export."""

    header: str
    """As written in the file."""
    field: str | None
    """The product field the analyst reads it as (None: a column the product does not use)."""
    known: bool
    carries: str | None
    """The stored field whose values it holds (a time column carries part of a date and time)."""
    cell: Callable[[dict], Any]
    form: str
    style: str = ""
    """How the header is written: as is, upper, snake, note, ..."""
    reordered: bool = False
    codes: dict[str, str] = field(default_factory=dict)
    """For a coded field: the wording written for each code."""

    @property
    def needs_mapping(self) -> bool:
        return self.field is not None and not self.known


@dataclass
class Shape:
    seed: int
    dataset: str
    records: list[dict]
    """The canonical records in the export, in file order."""
    columns: list[Column]
    file_format: str  # "xlsx" or "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    other_sheets: tuple[str, ...] = ()
    margin: int = 0
    titles: list[str | None] = field(default_factory=list)
    blank_before: set[int] = field(default_factory=set)
    """Indexes of records with a blank row above them."""
    blank_style: str = "empty"
    trailer: list[list[Any]] = field(default_factory=list)
    """Totals, footer and note rows below the data, as written."""
    ambiguous: dict[str, dict[str, str]] = field(default_factory=dict)
    """field -> {word written: the code it means}: words the analyst must map."""
    choices: list[str] = field(default_factory=list)

    def present(self, mapped: bool) -> set[str]:
        """The fields the product finds in the file (`mapped`: once the analyst's mappings are saved)."""
        fields = {c.field for c in self.columns if c.field and (c.known or mapped)}
        if {"age_at_birthday", "date_of_birth"} <= fields:
            fields.add("birthday")
        return fields

    @property
    def carried(self) -> set[str]:
        return {c.carries for c in self.columns if c.carries}

    @property
    def file_name(self) -> str:
        return f"{self.dataset}_{self.seed}.{self.file_format}"

    def expected_records(self) -> list[dict]:
        """What the store must hold: the canonical records, with the fields this export leaves out empty."""
        names = [s.name for s in DATASETS[self.dataset].specs]
        return [{name: (r[name] if name in self.carried else None) for name in names} for r in self.records]

    def mappings(self, council: str) -> list[list[str]]:
        """The `scorecard mapping` commands an analyst runs for this export."""
        commands = [["mapping", "set", "--council", council, "--dataset", self.dataset, "--field", c.field,
                     "--header", c.header] for c in self.columns if c.needs_mapping]
        commands += [["mapping", "value", "--council", council, "--dataset", self.dataset, "--field", name,
                      "--value", word, "--code", code]
                     for name, words in self.ambiguous.items() for word, code in words.items()]
        return commands

    def describe(self) -> str:
        columns = "; ".join(f"{c.header!r}" + (f" = {c.field}" if c.field else " (extra)")
                            + ("" if c.known else " [needs mapping]") + f" <{c.form}>" for c in self.columns)
        where = f"xlsx sheet {self.sheet!r}" + (f" beside {list(self.other_sheets)}" if self.other_sheets else "") \
            if self.file_format == "xlsx" else f"csv {self.encoding} delimiter {self.delimiter!r}"
        return (f"shape seed={self.seed} dataset={self.dataset}: {where}, margin {self.margin}, titles {self.titles}, "
                f"records {[r[DATASETS[self.dataset].specs[0].name] for r in self.records]}, "
                f"blank rows before records {sorted(self.blank_before)} ({self.blank_style}), trailer {self.trailer}, "
                f"ambiguous {self.ambiguous}\n  columns: {columns}\n  choices: {'; '.join(self.choices)}")


def _header_text(rng: random.Random, header: Header, kind: str, xlsx: bool) -> tuple[str, str]:
    """The header as one export writes it: any case, punctuation, a note in brackets."""
    text = header.text
    styles = ["as is", "as is", "upper", "lower", "snake", "padded", "non-breaking spaces"] \
        + (["line break"] if xlsx and " " in text else [])
    if "(" not in text:  # one note in brackets at most, and no colon after one
        styles += ["note", "colon"]
    style = rng.choice(styles)
    if style == "upper":
        text = text.upper()
    elif style == "lower":
        text = text.lower()
    elif style == "snake":
        text = "_".join(text.replace("/", " ").replace("-", " ").split()).lower()
    elif style == "note":
        text = f"{text} {NOTE_BY_KIND.get(kind, '(hh:mm)')}"
    elif style == "padded":
        text = f"  {text} "
    elif style == "colon":
        text = f"{text}:"
    elif style == "line break":
        text = text.replace(" ", "\n", 1)
    elif style == "non-breaking spaces":  # reports saved from a web page
        text = text.replace(" ", "\xa0")
    return text, style


def _pick_header(rng: random.Random, headers: Sequence[Header], mapping_rate: float) -> Header:
    pool = [h for h in headers if not h.known] if rng.random() < mapping_rate else []
    return rng.choice(pool or [h for h in headers if h.known])


def _form(rng: random.Random, forms: dict, xlsx: bool) -> tuple[str, Callable]:
    names = [name for name, (text, _) in forms.items() if xlsx or text]
    name = rng.choice(names)
    return name, forms[name][1]


def _value_writer(rng: random.Random, spec: Spec, records: Sequence[dict], xlsx: bool,
                  shape: Shape) -> tuple[str, Callable[[Any], Any]]:
    """How one column writes its values: one form per column, as systems do (a few
    columns mix forms, as hand-edited files do)."""
    if spec.kind == DATE:
        name, write = _form(rng, DATE_FORMS, xlsx)
        if rng.random() < 0.15:
            forms = [_form(rng, DATE_FORMS, xlsx) for _ in range(3)]
            return "mixed " + "/".join(n for n, _ in forms), \
                lambda v: None if v is None else forms[v.toordinal() % len(forms)][1](v)
        return name, lambda v: None if v is None else write(v)
    if spec.kind == DATETIME:
        name, write = _form(rng, DATETIME_FORMS, xlsx)
        return name, lambda v: None if v is None else write(v)
    if spec.kind == FLAG:
        forms = FLAG_FORMS + spec.flags + (XLSX_FLAG_FORMS if xlsx else ())
        if any(f is None for _, f in spec.flags) and rng.random() < 0.3:
            yes, no = rng.choice([f for f in spec.flags if f[1] is None])
        else:
            yes, no = rng.choice([f for f in forms if f[1] is not None])
        return f"{yes}/{no}", lambda v: None if v is None else (yes if v else no)
    if spec.kind == CODE:
        return _code_writer(rng, spec, records, shape)
    if spec.kind == ID:
        numbers = xlsx and rng.random() < 0.5
        return ("typed as numbers" if numbers else "text"), \
            lambda v: None if v is None else (int(v) if numbers and v.isdigit() else v)
    if spec.kind in (NUMBER, INTEGER):
        as_text = not xlsx or rng.random() < 0.3
        return ("text" if as_text else "number"), \
            lambda v: None if v is None else (f"{v:g}" if as_text else (int(v) if float(v).is_integer() else v))
    return "text", lambda v: v


def _code_writer(rng: random.Random, spec: Spec, records: Sequence[dict], shape: Shape) -> tuple[str, Callable]:
    """Codes as the DfE code, as the code's label, as words close to it, or mixed; now and
    then one code written as a word that is ambiguous on its own (the analyst maps it)."""
    style = rng.choice(["code", "label", "words", "mixed"])
    present = sorted({r[spec.name] for r in records if r[spec.name] is not None})
    chosen: dict[str, str] = {}
    for code in present:
        wordings = spec.codes.get(code, ())
        if style == "code" or not wordings:
            chosen[code] = code
        elif style == "label":
            chosen[code] = wordings[0]
        elif style == "words":
            chosen[code] = rng.choice(wordings[1:] or wordings)
        else:
            chosen[code] = rng.choice((code, *wordings))
    candidates = [c for c in present if spec.ambiguous.get(c)]
    if candidates and rng.random() < 0.3:
        code = rng.choice(candidates)
        word = rng.choice(spec.ambiguous[code])
        chosen[code] = word
        shape.ambiguous.setdefault(spec.name, {})[word] = code
    return f"{style} {chosen}", lambda v: None if v is None else chosen[v]


def _columns_for(rng: random.Random, spec: Spec, shape: Shape, xlsx: bool, mapping_rate: float) -> list[Column]:
    """The column(s) an export gives one field in: one column, a date and a time column,
    or the age reached instead of a birthday."""
    records = shape.records

    def column(header: Header, kind: str, field_name: str, carries: str, write: Callable, form: str,
               codes: dict | None = None) -> Column:
        text, style = _header_text(rng, header, kind, xlsx)
        return Column(text, field_name, header.known, carries, write, f"{form}; header {style}", style,
                      header.reordered, codes or {})

    if spec.split and rng.random() < 0.35:
        date_header, time_header = rng.choice([p for p in spec.split if p[0].known or rng.random() < mapping_rate]
                                              or spec.split[:1])
        date_name, date_write = _form(rng, DATE_FORMS, xlsx)
        time_name, time_write = _form(rng, TIME_FORMS, xlsx)
        return [column(date_header, DATE, spec.name, spec.name,
                       lambda r: None if r[spec.name] is None else date_write(r[spec.name].date()), f"date {date_name}"),
                column(time_header, "time", spec.time_field, spec.name,
                       lambda r: None if r[spec.name] is None else time_write(r[spec.name].time()), f"time {time_name}")]
    if spec.ages and rng.random() < 0.4:
        return _age_columns(rng, spec, shape, xlsx, mapping_rate, column)
    form, write = _value_writer(rng, spec, records, xlsx, shape)
    header = _pick_header(rng, spec.headers, mapping_rate)
    codes = {code: write(code) for code in {r[spec.name] for r in records} - {None}} if spec.kind == CODE else None
    return [column(header, spec.kind, spec.name, spec.name, lambda r: write(r[spec.name]), form, codes)]


def _age_columns(rng: random.Random, spec: Spec, shape: Shape, xlsx: bool, mapping_rate: float,
                 column: Callable[..., Column]) -> list[Column]:
    """A care leaver's birthday as the age reached: in the birthday column itself
    ('18', '18th', 'Age 18'), or in an 'Age at birthday' column instead of the birthday."""
    def age(r: dict) -> int:
        return r["birthday"].year - r["date_of_birth"].year

    def nth(r: dict) -> str:
        return f"{age(r)}{'st' if age(r) == 21 else 'th'}"

    written = rng.choice(["number", "18th", "Age 18", "18th birthday"])
    write = {"number": (lambda r: age(r)) if xlsx else (lambda r: str(age(r))),
             "18th": nth,
             "Age 18": lambda r: f"Age {age(r)}",
             "18th birthday": lambda r: f"{nth(r)} birthday"}[written]
    if rng.random() < 0.5:
        header = _pick_header(rng, spec.headers, mapping_rate)
        return [column(header, INTEGER, "birthday", "birthday", write, f"birthday as the age reached, {written}")]
    header = _pick_header(rng, spec.ages, mapping_rate)
    write = (lambda r: age(r)) if xlsx else (lambda r: str(age(r)))
    return [column(header, INTEGER, "age_at_birthday", "birthday", write, "age at birthday instead of the birthday")]


def _trailer(rng: random.Random, shape: Shape, width: int) -> list[list[Any]]:
    """Totals, footers and notes below the data: skipped, whatever numbers stand beside them."""
    count = len(shape.records)
    totals = [["Total", count], ["Grand Total", None, count], ["Count", count], [f"Total records: {count}"],
              [None, "Total", count], ["TOTAL", *([None] * max(0, width - 2)), count], ["Number of records", count]]
    footers = [["Report run on 01/10/2019 09:14"], ["End of report"], ["* excludes respite"], ["Source: Mosaic"],
               ["Printed on 01/10/2019 by BI team"], ["Page 1 of 1"], ["Data as at 30/09/2019"],
               ["Notes: figures are provisional"]]
    rows: list[list[Any]] = []
    if rng.random() < 0.6:
        rows.append(rng.choice(totals))
    rows += rng.sample(footers, rng.randint(0, 3))
    if rng.random() < 0.3:
        rows.append(["Please contact the BI team with any queries"])  # a note with no footer word, at the very end
    return rows


def make_shape(dataset: str, seed: int, *, mapping_rate: float = 0.15, empty: bool | None = None) -> Shape:
    """A seeded shape of one dataset's export. `mapping_rate`: how often a field is worded
    so that the analyst must map it; `empty`: a header-only export (None: sometimes)."""
    rng = random.Random(f"{dataset}-{seed}")
    xlsx = rng.random() < 0.5
    shape = Shape(seed=seed, dataset=dataset, records=_records(rng, dataset, empty), columns=[],
                  file_format="xlsx" if xlsx else "csv")
    shape.columns = _all_columns(rng, shape, xlsx, mapping_rate)
    _arrange(rng, shape)
    if xlsx:
        shape.sheet = rng.choice(["Sheet1", "Report", "Data", "Export", DATASETS[dataset].titles[0][:25]])
        if rng.random() < 0.3:
            shape.other_sheets = (rng.choice(["Filters", "Parameters", "Summary"]),)
    else:
        shape.encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
        shape.delimiter = rng.choice([",", ",", ";", "\t"])
    return shape


def _records(rng: random.Random, dataset: str, empty: bool | None) -> list[dict]:
    """The canonical records, one or two now and then left out, in the export's own order."""
    if empty is None:
        empty = rng.random() < 0.08
    records = [] if empty else [dict(r) for r in DATASETS[dataset].records]
    if records and rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            records.pop(rng.randrange(len(records)))
    rng.shuffle(records)
    return records


def _all_columns(rng: random.Random, shape: Shape, xlsx: bool, mapping_rate: float) -> list[Column]:
    """Every field's column(s) (optional ones now and then left out), sometimes the child
    id twice with the same values, columns the product does not use, in any order."""
    spec_set = DATASETS[shape.dataset]
    columns: list[Column] = []
    for spec in spec_set.specs:
        if not (spec.required or (spec.needed and spec.needed(spec_set.records))) and rng.random() < 0.2:
            shape.choices.append(f"no {spec.name} column")
            continue
        columns += _columns_for(rng, spec, shape, xlsx, mapping_rate)
    if rng.random() < 0.15:
        first = next(c for c in columns if c.field == "child_id")
        other = next(h for h in CHILD_ID.headers if h.known and h.text.lower() not in first.header.lower())
        columns.append(Column(other.text, "child_id", True, None, first.cell, "child id again, same values"))
        shape.choices.append(f"child id twice: {first.header!r} and {other.text!r}")
    for header, values in rng.sample(spec_set.extras, rng.randint(0, 2)):
        columns.append(Column(header, None, True, None, lambda r, v=values: v[sum(map(ord, str(r))) % len(v)],
                              "extra"))
    rng.shuffle(columns)
    return columns


def _arrange(rng: random.Random, shape: Shape) -> None:
    """What surrounds the data: a blank margin column, title rows, blank rows between
    records, totals, footers and notes below."""
    shape.margin = 1 if rng.random() < 0.2 else 0
    shape.titles = _titles(rng, DATASETS[shape.dataset])
    shape.blank_before = {i for i in range(1, len(shape.records)) if rng.random() < 0.15}
    shape.blank_style = rng.choice(["empty", "delimiters"])
    shape.trailer = _trailer(rng, shape, len(shape.columns))


def _titles(rng: random.Random, spec_set: Dataset) -> list[str | None]:
    pool = [*spec_set.titles, "Run on 01/10/2019 09:14 by BI team", None, "Filters: all open cases"]
    return rng.sample(pool, rng.randint(0, 3))


def plain_shape(dataset: str, seed: int = 0, records: Sequence[dict] | None = None) -> Shape:
    """The dataset's export as the template writes it: first headers, codes, dd/mm/yyyy
    text, Y/N, no titles nor trailer. For files a test needs beside the one it varies."""
    writers = {DATE: lambda v: v.strftime("%d/%m/%Y"), DATETIME: lambda v: v.strftime("%d/%m/%Y %H:%M"),
               FLAG: lambda v: "Y" if v else "N"}
    columns = [Column(spec.headers[0].text, spec.name, True, spec.name,
                      lambda r, n=spec.name, w=writers.get(spec.kind, str): None if r[n] is None else w(r[n]), "plain")
               for spec in DATASETS[dataset].specs]
    records = DATASETS[dataset].records if records is None else records
    return Shape(seed=seed, dataset=dataset, records=[dict(r) for r in records], columns=columns,
                 file_format="csv", choices=["plain"])


# --- Writing a shape as a file ------------------------------------------------------------------

@dataclass
class Written:
    path: Path
    header_row: int
    """The spreadsheet row of the header (Excel's numbering; a CSV line number)."""
    record_rows: list[int]
    """The row of each record, in `Shape.records` order."""
    trailer_rows: list[int]
    """Rows of totals, footers and notes: reported as skipped, never loaded."""
    sheet: str | None


def layout(shape: Shape, header: bool = True) -> tuple[list[list[Any]], Written]:
    """The rows of the file as the analyst sees them, and where each record is."""
    pad = [None] * shape.margin
    rows: list[list[Any]] = [pad + [title] if title else [] for title in shape.titles]
    header_row = len(rows) + 1
    if header:
        rows.append(pad + [c.header for c in shape.columns])
    record_rows = []
    for i, record in enumerate(shape.records):
        if i in shape.blank_before:
            rows.append([] if shape.blank_style == "empty" else [None] * (len(shape.columns) + shape.margin))
        rows.append(pad + [c.cell(record) for c in shape.columns])
        record_rows.append(len(rows))
    trailer_rows = []
    for row in shape.trailer:
        rows.append(pad + list(row))
        trailer_rows.append(len(rows))
    return rows, Written(Path(shape.file_name), header_row, record_rows, trailer_rows, shape.sheet)


def write_shape(shape: Shape, folder: Path, header: bool = True) -> Written:
    rows, written = layout(shape, header)
    written.path = folder / shape.file_name
    if shape.file_format == "xlsx":
        write_workbook(written.path, {shape.sheet: rows}, shape.other_sheets)
    else:
        write_text_csv(written.path, rows, shape.encoding, shape.delimiter)
    return written


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]], other_sheets: Sequence[str] = ()) -> Path:
    """An xlsx written with openpyxl: dates as real date cells, times as time cells,
    blank cells left out (so blank rows are really blank)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in other_sheets:  # before the data: the product looks at every sheet
        workbook.create_sheet(name).append(["Parameters"] if name != "Summary" else ["District", "Count"])
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
                elif isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(value, dt.time):
                    cell.number_format = "hh:mm"
    workbook.save(path)
    return path


def write_text_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """CSV text as Windows tools save it, in `encoding` ('utf-16' has a byte-order mark,
    'utf-16-le' and 'utf-16-be' have none, 'utf-8-sig' is Excel's "CSV UTF-8")."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else str(v) for v in row] for row in rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path
