"""What monthly exports from councils' case-management systems say, and how they word it.

Each dataset has canonical records (hand-written, with the figures they give worked out
in comments) and a vocabulary of how real exports write them: several header wordings
per field (some the product accepts as they are, some an analyst must map once with
`scorecard mapping set`), values as the DfE code, its label or words close to it, flags
and dates in every common form, a date and its time in two columns, a birthday as the
age reached. `export_shapes` draws a file's shape from it.

Nothing here imports the product: what the product must make of a file is written
down independently, so a test compares the two.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

PERIOD = "2019-09"
MONTH_FIRST, MONTH_LAST = dt.date(2019, 9, 1), dt.date(2019, 9, 30)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- Canonical records: what every shape of a dataset's export says -----------------------------

def canonical(names: str, *rows: tuple) -> tuple[dict, ...]:
    keys = names.split()
    return tuple(dict(zip(keys, row)) for row in rows)


CHILDREN_IN_CARE = canonical(
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

VISITS = canonical(
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

MISSING_EPISODES = canonical(
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

RETURN_INTERVIEWS = canonical(
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

HEALTH_ASSESSMENTS = canonical(
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

CARE_LEAVERS = canonical(
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
