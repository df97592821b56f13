"""The six datasets an analyst loads each month, as the data templates define them.

Field names are the store's column names. Header aliases cover the DfE SSDA903 names
and the labels that LiquidLogic, Mosaic and Eclipse reports use; matching ignores case,
spaces and punctuation.
"""
from __future__ import annotations

from ingest.cells import AgeReached
from ingest.schema import (
    CHILD_ID,
    DISTRICT,
    Dataset,
    Derivation,
    Field,
    Kind,
    date_and_time,
    is_birthday,
    known_codes,
    not_before,
    required_when,
)
from scorecard.periods import add_years
from scorecard.vocabulary import DATED, NOT_COMPLETE, SPANS_OF_EPISODES, Completeness

IN_AREA = ("Placed In Area", "In Area", "Placed In County", "In County", "Inside Council Area", "PL_LOCATION",
           "Placement Location", "In/Out of Area", "In LA")

CHILDREN_IN_CARE = Dataset(
    name="children_in_care",
    title="Children in care",
    sheet_name="Children in care",
    description="One row per placement episode. A child's period in care is a run of episodes: a new "
    "episode starts whenever the placement or the legal status changes. Include every episode open at any "
    "time in the month, and in the first load every episode of each child's current period of care.",
    fields=(
        CHILD_ID,
        Field("date_of_birth", Kind.DATE, "Date of birth.", ("Date of Birth", "DOB", "Birth Date"), required=True),
        Field("sex", Kind.CODE, "Sex as recorded for the DfE return.", ("Sex", "SEX", "Gender"),
              required=True, codes="sex"),
        Field("ethnicity", Kind.CODE, "Ethnicity (DfE ETHNIC codes).", ("Ethnicity", "ETHNIC", "Ethnic Origin",
              "Ethnic Group", "Ethnicity Code"), codes="ethnicity"),
        Field("uasc", Kind.FLAG, "Unaccompanied asylum-seeking child (UASC) at the start of the episode. "
              "An empty cell means No.", ("UASC", "Unaccompanied Asylum Seeking Child", "UASC Flag", "Is UASC",
              "UASC Status"), required=True, blank_means=False),
        Field("disability", Kind.FLAG, "The child has a disability.", ("Disability", "Disabled",
              "Disability Flag", "Has Disability")),
        Field("legal_status", Kind.CODE, "Legal status during the episode (DfE LS codes, e.g. C2 full care "
              "order, V2 section 20).", ("Legal Status", "LS", "Legal Status Code"), required=True,
              codes="legal_status"),
        Field("period_start", Kind.DATE, "Date the child's current period of care started (became looked after).",
              ("Period of Care Start", "Date Became Looked After", "Period Start", "Date Looked After",
               "CLA Start Date", "LAC Start Date", "POC_START", "Care Start Date"), required=True,
              not_after_period=True),
        Field("episode_start", Kind.DATE, "Date the episode started.", ("Episode Start", "DECOM",
              "Episode Start Date", "Placement Start Date", "Date Episode Commenced", "Start Date"),
              required=True, not_after_period=True),
        Field("episode_end", Kind.DATE, "Date the episode ended; empty while it is open.", ("Episode End", "DEC",
              "Episode End Date", "Placement End Date", "Date Episode Ceased", "End Date"),
              not_after_period=True),
        Field("reason_new_episode", Kind.CODE, "Why the episode started (DfE RNE codes).",
              ("Reason for New Episode", "RNE", "Reason Episode Started", "Start Reason"),
              codes="reason_new_episode"),
        Field("reason_episode_ceased", Kind.CODE, "Why the episode ended (DfE REC codes).",
              ("Reason Episode Ceased", "REC", "Reason Episode Ended", "End Reason", "Reason Ceased"),
              codes="reason_episode_ceased"),
        Field("category_of_need", Kind.CODE, "Category of need (DfE CIN codes).", ("Category of Need", "CIN",
              "Need Code"), codes="category_of_need"),
        Field("placement_type", Kind.CODE, "Placement type (DfE PLACE codes, e.g. U4 foster placement, "
              "K2 children's home).", ("Placement Type", "PLACE", "Placement Code", "Placement"),
              required=True, codes="placement_type"),
        Field("placement_provider", Kind.CODE, "Who provides the placement: the council's own (in-house), "
              "another council, agency/private, voluntary, or parents (DfE PLACE_PROVIDER codes).",
              ("Placement Provider", "PLACE_PROVIDER", "Provider", "Provider Type"), required=True,
              codes="placement_provider"),
        Field("placed_in_area", Kind.FLAG, "The placement is inside the council's own area (Y) or outside (N).",
              IN_AREA),
        Field("placement_la", Kind.TEXT, "Code of the council in whose area the placement is (PL_LA).",
              ("Placement LA", "PL_LA", "Placement Local Authority", "Placement Council", "Host LA")),
        Field("distance_miles", Kind.NUMBER, "Distance in miles from the home address before care to the "
              "placement.", ("Distance (miles)", "PL_DISTANCE", "Distance", "Placement Distance", "Miles")),
        Field("home_postcode", Kind.TEXT, "Postcode (or its first part) of the home before care.",
              ("Home Postcode", "HOME_POST")),
        Field("placement_postcode", Kind.TEXT, "Postcode (or its first part) of the placement.",
              ("Placement Postcode", "PL_POST")),
        DISTRICT,
    ),
    key=("child_id", "episode_start"),
    completeness=SPANS_OF_EPISODES,
    rules=(
        not_before("episode_start", "episode_end", "the episode ends before it starts"),
        required_when("episode_end", lambda row: row.get("reason_episode_ceased") is not None,
                      "a reason the episode ended is given, but no end date"),
        not_before("date_of_birth", "episode_start", "the episode starts before the child was born"),
        not_before("period_start", "episode_start", "the episode starts before the period of care started"),
    ),
)

VISITS = Dataset(
    name="visits",
    title="Statutory visits",
    sheet_name="Visits",
    description="One row per statutory social-work visit due: visits due in the month, done or not.",
    fields=(
        CHILD_ID,
        Field("date_due", Kind.DATE, "Date the visit was due (usually 6 weeks after the last; 12 weeks after "
              "the first year where agreed).", ("Date Due", "Due Date", "Visit Due Date", "Visit Due",
              "Next Visit Due"), required=True),
        Field("date_done", Kind.DATE, "Date the visit took place; empty if not yet done.",
              ("Date Done", "Visit Date", "Date of Visit", "Actual Visit Date", "Completed Date", "Date Visited"),
              not_after_period=True),
        Field("team", Kind.TEXT, "Team responsible.", ("Team", "District", "Social Worker Team",
              "Allocated Team", "Locality")),
    ),
    key=("child_id", "date_due"),
    completeness=Completeness(DATED, ("date_due",)),
)

MISSING_EPISODES = Dataset(
    name="missing_episodes",
    title="Missing episodes",
    sheet_name="Missing episodes",
    description="One row per missing (or away without authorisation) episode, for children in care and "
    "other children. Include episodes that started in the month and earlier episodes updated in the month.",
    fields=(
        Field("episode_id", Kind.TEXT, "Identifier of the missing episode.", ("Episode ID", "Missing Episode ID",
              "Missing ID", "Episode Reference", "Missing Episode Reference", "Episode Number"), required=True,
              identifier=True),
        CHILD_ID,
        Field("in_care", Kind.FLAG, "The child was in care (looked after) when the episode started.",
              ("In Care", "In Care at Start", "Looked After", "CLA", "LAC", "Child in Care", "Is CLA",
               "Looked After Child"), required=True),
        Field("missing_from", Kind.DATETIME, "Date and time the child was reported missing.",
              ("Missing From", "MIS_START", "Missing Start", "Date Missing", "Date Reported Missing",
               "Missing Start Date", "Start Date Time", "Missing From Date", "Date Went Missing",
               "Missing Date", "Missing Start Date/Time", "Date/Time Missing", "Reported Missing"),
              required=True, not_after_period=True),
        Field("found_at", Kind.DATETIME, "Date and time the child was found or returned; empty while still "
              "missing.", ("Found", "MIS_END", "Found Date", "Returned", "Date Found", "Return Date",
              "Missing End", "Missing End Date", "Date Returned", "End Date Time", "Missing To",
              "Missing To Date", "Date/Time Found", "Found Date/Time", "Missing End Date/Time", "Date Located"),
              not_after_period=True),
        Field("missing_time", Kind.TIME, "Time the child was reported missing, where the export gives it in "
              "its own column.", ("Time Missing", "Missing Time", "Time Reported Missing", "Time Went Missing",
              "Missing From Time", "Missing Start Time", "Start Time"), input_only=True),
        Field("found_time", Kind.TIME, "Time the child was found, where the export gives it in its own column.",
              ("Time Found", "Found Time", "Return Time", "Time Returned", "Missing End Time", "Missing To Time",
               "End Time", "Time Located"), input_only=True),
        Field("absence_type", Kind.CODE, "Missing (M) or away from placement without authorisation (A).",
              ("Missing or Away", "MISSING", "Absence Type", "Missing/Away", "Type"), codes="missing_type"),
        DISTRICT,
    ),
    key=("episode_id",),
    completeness=Completeness(DATED, ("missing_from",)),
    derivations=(date_and_time("missing_from", "missing_time"), date_and_time("found_at", "found_time")),
    rules=(not_before("missing_from", "found_at", "the child was found before going missing"),),
)

RHI_COMPLETED = "completed"

RETURN_INTERVIEWS = Dataset(
    name="return_interviews",
    title="Return home interviews",
    sheet_name="Return interviews",
    description="One row per missing episode that has had a return home interview (RHI) offered, held or "
    "declined.",
    fields=(
        Field("episode_id", Kind.TEXT, "The missing episode the interview follows.", ("Missing Episode ID",
              "Episode ID", "Missing ID", "Episode Reference"), required=True, identifier=True),
        CHILD_ID,
        Field("outcome", Kind.CODE, "Outcome of the interview.", ("Outcome", "RHI Outcome", "Interview Outcome",
              "Status", "RHI Status"), required=True, codes="rhi_outcome"),
        Field("offered_at", Kind.DATETIME, "Date and time the interview was offered.", ("Date Offered",
              "Offered", "RHI Offered", "Date RHI Offered", "Offer Date", "RHI Offer Date", "Date Interview Offered"),
              not_after_period=True),
        Field("held_at", Kind.DATETIME, "Date and time the interview was held.", ("Date Held", "Interview Date",
              "RHI Date", "Date RHI Held", "Held", "Date Completed", "RHI Completed Date", "Date of Interview",
              "Date of RHI", "RHI Held Date", "Interview Held", "Date Interview Held", "RHI Date/Time"),
              not_after_period=True),
        Field("offered_time", Kind.TIME, "Time the interview was offered, where the export gives it in its own "
              "column.", ("Time Offered", "Offer Time", "RHI Offer Time"), input_only=True),
        Field("held_time", Kind.TIME, "Time the interview was held, where the export gives it in its own column.",
              ("Time Held", "Interview Time", "RHI Time", "Time of Interview", "RHI Held Time"), input_only=True),
    ),
    key=("episode_id",),
    completeness=Completeness(NOT_COMPLETE),
    derivations=(date_and_time("offered_at", "offered_time"), date_and_time("held_at", "held_time")),
    rules=(
        required_when("held_at", lambda row: row.get("outcome") == RHI_COMPLETED,
                      "a completed interview needs the date and time it was held"),
    ),
)

INITIAL = "initial"

HEALTH_ASSESSMENTS = Dataset(
    name="health_assessments",
    title="Health assessments",
    sheet_name="Health assessments",
    description="One row per health assessment due or done: initial (IHA) and review (RHA) health "
    "assessments, dental checks and strengths and difficulties questionnaires (SDQ).",
    fields=(
        CHILD_ID,
        Field("assessment_type", Kind.CODE, "Initial, review, dental check or SDQ.", ("Assessment Type",
              "Type", "Health Assessment Type", "Assessment"), required=True, codes="health_assessment_type"),
        Field("looked_after_date", Kind.DATE, "For initial assessments: the date the child became looked after "
              "(the 20 working days run from here).", ("Date Became Looked After", "Looked After Date",
              "CLA Start Date", "Period of Care Start", "Date Looked After", "Period Start")),
        Field("date_due", Kind.DATE, "Date the assessment was due.", ("Date Due", "Due Date", "Assessment Due")),
        Field("date_completed", Kind.DATE, "Date the assessment was done; empty if not yet done.",
              ("Date Completed", "Completed", "Assessment Date", "Date of Assessment", "Completed Date",
               "Date Done"), not_after_period=True),
        Field("placed_in_area", Kind.FLAG, "The child was placed inside the council's area (Y) or outside (N).",
              IN_AREA),
        Field("host_la", Kind.TEXT, "For children placed outside the area: the host council, whose health "
              "services do the assessment.", ("Host LA", "Host Authority", "Host Council", "Host Local Authority",
              "Placement LA")),
        Field("up_to_date", Kind.FLAG, "Assessment up to date (from SSDA903 OC2 flags, where no date is known).",
              ("Up To Date", "HEALTH_CHECK_UP_TO_DATE")),
        Field("sdq_score", Kind.INTEGER, "Strengths and difficulties questionnaire total score (0-40).",
              ("SDQ Score", "SDQ_SCORE", "SDQ Total")),
    ),
    key=("child_id", "assessment_type", "date_due", "date_completed"),
    completeness=Completeness(DATED, ("date_due", "date_completed")),
    rules=(
        required_when("looked_after_date", lambda row: row.get("assessment_type") == INITIAL,
                      "an initial health assessment needs the date the child became looked after"),
        required_when("date_due", lambda row: row.get("date_completed") is None and row.get("up_to_date") is None,
                      "give the date the assessment was due, the date it was done, or both"),
    ),
)


CARE_LEAVER_AGES = range(17, 22)


def _birthday_rule(columns):
    if "date_of_birth" not in columns or "birthday" not in columns:
        return []
    problems = []
    for i, (born, day) in enumerate(zip(columns["date_of_birth"], columns["birthday"])):
        if born is None or day is None:
            continue
        if not is_birthday(born, day):
            problems.append((i, "birthday", "this is not a birthday of the child (the date of birth and the "
                             "birthday differ in day or month)"))
        elif day.year - born.year not in CARE_LEAVER_AGES:
            problems.append((i, "birthday", f"this is the child's {day.year - born.year}th birthday; care leaver "
                             "records are about the 17th to 21st birthdays"))
    return problems


def _birthdays_at_ages(born, written, given=None) -> tuple[list, list[tuple[int, str]]]:
    """Birthdays from the date of birth where the file gives the age reached instead; a
    birthday date given in its own column is kept."""
    days, problems = [], []
    for i, (dob, value) in enumerate(zip(born, written)):
        if given is not None and given[i] is not None and not isinstance(given[i], AgeReached):
            value = given[i]
        if isinstance(value, AgeReached):
            if dob is None:
                value = None
            elif value.age not in CARE_LEAVER_AGES:
                problems.append((i, f"is the age {value.age}; care leaver records are about the 17th to 21st "
                                 "birthdays"))
                value = None
            else:
                value = add_years(dob, value.age)
        days.append(value)
    return days, problems


CARE_LEAVERS = Dataset(
    name="care_leavers",
    title="Care leavers",
    sheet_name="Care leavers",
    description="One row per care leaver per relevant birthday (17th to 21st): whether the council was in "
    "touch around that birthday, their activity and their accommodation, as in the DfE return.",
    fields=(
        CHILD_ID,
        Field("date_of_birth", Kind.DATE, "Date of birth.", ("Date of Birth", "DOB", "Birth Date"), required=True),
        Field("birthday", Kind.DATE, "The birthday this record is about (17th, 18th, 19th, 20th or 21st); "
              "the age reached (17 to 21) is accepted instead, with the date of birth.",
              ("Birthday", "Birthday Date", "Relevant Birthday", "Date of Birthday", "Date of Relevant Birthday",
               "Birthday in Period"), required=True, accepts_age=True),
        Field("age_at_birthday", Kind.INTEGER, "The age reached on the birthday (17 to 21), where the export "
              "gives that instead of the birthday's date.", ("Age at Birthday", "Age", "Birthday Age",
              "Relevant Age", "Age Reached", "Age at Relevant Birthday", "Relevant Birthday Age"), input_only=True),
        Field("in_touch", Kind.CODE, "Was the council in touch with the young person around the birthday "
              "(DfE IN_TOUCH codes: YES, NO, REFU, NREQ, RHOM, DIED)?", ("In Touch", "IN_TOUCH", "Contact"),
              required=True, codes="in_touch"),
        Field("activity", Kind.CODE, "Main activity: education, employment or training (DfE ACTIV codes).",
              ("Activity", "ACTIV", "Main Activity", "EET Status"), codes="activity"),
        Field("accommodation", Kind.CODE, "Accommodation type and whether suitable (DfE ACCOM codes; the last "
              "digit says suitable (1) or not (2)).", ("Accommodation", "ACCOM", "Accommodation Type"),
              codes="accommodation"),
    ),
    key=("child_id", "birthday"),
    completeness=Completeness(DATED, ("birthday",)),
    derivations=(
        Derivation("birthday", ("date_of_birth", "birthday"), lambda c: _birthdays_at_ages(c["date_of_birth"],
                   c["birthday"]), "a birthday written as the age reached, from the date of birth"),
        Derivation("birthday", ("date_of_birth", "age_at_birthday"), lambda c: _birthdays_at_ages(
                   c["date_of_birth"], [AgeReached(a) if a is not None else None for a in c["age_at_birthday"]],
                   c.get("birthday")), "the birthday from the date of birth and the age reached"),
    ),
    rules=(_birthday_rule,),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (CHILDREN_IN_CARE, VISITS, MISSING_EPISODES, RETURN_INTERVIEWS, HEALTH_ASSESSMENTS, CARE_LEAVERS)
}

known_codes([f.codes for d in DATASETS.values() for f in d.fields if f.codes])
