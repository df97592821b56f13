"""The demo county's fixed facts: its districts and neighbours, and the weighted choices its
simulation draws from (ages, ethnicities, legal statuses, placements, leaving care, care leavers)."""
from __future__ import annotations

from itertools import accumulate
from typing import Any

ChoiceTable = tuple[list[Any], list[float]]

COUNCIL = "E10000099"
COUNCIL_NAME = "Exampleshire"

# (district, postcode districts, share of the county's children)
DISTRICTS = (
    ("North", ("XS1", "XS2", "XS3"), 18),
    ("South", ("XS10", "XS11", "XS12"), 22),
    ("East", ("XS20", "XS21", "XS22"), 19),
    ("West", ("XS30", "XS31", "XS32"), 17),
    ("Central", ("XS4", "XS5", "XS6"), 24),
)
DISTRICT_POSTCODES = {name: codes for name, codes, _ in DISTRICTS}

# Councils children are placed in when placed out of county: (code, postcode area, weight).
NEIGHBOURS = (
    ("E10000016", "ME", 9), ("E10000030", "GU", 7), ("E10000014", "SO", 7), ("E10000015", "AL", 6),
    ("E10000012", "CM", 6), ("E10000025", "OX", 6), ("E10000032", "RH", 5), ("E10000031", "CV", 5),
    ("E10000034", "WR", 4), ("E10000028", "ST", 4), ("E08000025", "B", 5), ("E10000018", "LE", 3),
    ("E10000024", "NG", 3), ("E10000019", "LN", 2), ("E10000020", "NR", 2), ("E10000029", "IP", 2),
    ("E10000003", "CB", 3), ("E06000030", "SN", 3), ("E06000038", "RG", 3), ("E06000042", "MK", 3),
    ("E10000017", "PR", 2),
)


def choice_table(weights: dict[Any, float]) -> ChoiceTable:
    """A weighted choice, prepared once: (values, cumulative weights)."""
    return list(weights), list(accumulate(weights.values()))


ENTRY_AGE = choice_table({0: 22, 1: 5, 2: 5, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 4, 9: 4, 10: 4, 11: 4, 12: 5,
                          13: 6, 14: 7, 15: 7, 16: 3.5, 17: 1.2})
UASC_AGE = choice_table({15: 3, 16: 5, 17: 2})
ETHNICITY = choice_table({"WBRI": 70, "WOTH": 4, "WIRT": 0.5, "WROM": 1, "WIRI": 0.5, "MWBC": 4, "MWBA": 1.5,
                          "MWAS": 2, "MOTH": 3, "AIND": 0.7, "APKN": 1.5, "ABAN": 0.5, "AOTH": 1, "BCRB": 1.5,
                          "BAFR": 2, "BOTH": 1, "CHNE": 0.3, "OOTH": 1.5, "REFU": 0.3, "NOBT": 0.7})
UASC_ETHNICITY = choice_table({"AOTH": 32, "BAFR": 33, "OOTH": 22, "WOTH": 10, "BOTH": 3})
CATEGORY_OF_NEED = choice_table({"N1": 62, "N2": 4, "N3": 3, "N4": 7, "N5": 15, "N6": 2, "N7": 0.5, "N8": 6.5})
DISTRICT_CHOICE = choice_table({name: share for name, _, share in DISTRICTS})
NEIGHBOUR_CHOICE = choice_table({(code, area): weight for code, area, weight in NEIGHBOURS})

# Legal status on entering care, by age.
ENTRY_LS_YOUNG = choice_table({"V2": 30, "C1": 52, "L2": 11, "L1": 7})
ENTRY_LS_TEEN = choice_table({"V2": 42, "C1": 42, "L1": 4, "L2": 6, "J1": 3})
ENTRY_LS_OLDER = choice_table({"V2": 72, "C1": 18, "J1": 10})

# First placements and moves, by age group.
PLACE_UNDER_5 = choice_table({"U6": 70, "U3": 18, "U2": 1, "R3": 3, "U5": 3})
PLACE_5_TO_11 = choice_table({"U6": 70, "U3": 17, "K2": 6, "S1": 1})
PLACE_12_TO_15 = choice_table({"U6": 58, "U3": 10, "K2": 24, "K1": 1, "Z1": 3, "S1": 2, "R1": 1})
PLACE_12_TO_15_VOLATILE = choice_table({"U6": 40, "U3": 5, "K2": 48, "K1": 2, "Z1": 4, "R1": 1})
PLACE_16_17 = choice_table({"INDEPENDENT": 32, "U6": 42, "K2": 20, "U3": 6})
PLACE_UASC_16_17 = choice_table({"INDEPENDENT": 45, "U6": 40, "K2": 15})
PLACE_UASC_15 = choice_table({"U6": 80, "K2": 20})

PROVIDERS = {
    "FOSTER": choice_table({"PR1": 53, "PR4": 37, "PR5": 6, "PR2": 4}),
    "KINSHIP": choice_table({"PR1": 1}),
    "K2": choice_table({"PR4": 82, "PR1": 12, "PR5": 6}),
    "K1": choice_table({"PR2": 1}),
    "ADOPTION": choice_table({"PR1": 45, "PR2": 35, "PR5": 20}),
    "INDEPENDENT": choice_table({"PR4": 50, "PR5": 50}),
    "P2": choice_table({"PR1": 50, "PR4": 50}),
    "P1": choice_table({"PR0": 1}),
    "R2": choice_table({"PR3": 1}),
    "R3": choice_table({"PR4": 60, "PR3": 40}),
    "OTHER": choice_table({"PR4": 1}),
}
# Chance a placement is inside the county, by (provider group, provider).
IN_AREA = {
    ("KINSHIP", "PR1"): 0.80, ("FOSTER", "PR1"): 0.93, ("FOSTER", "PR4"): 0.57, ("FOSTER", "PR5"): 0.60,
    ("FOSTER", "PR2"): 0.1,
    ("K2", "PR4"): 0.33, ("K2", "PR1"): 1.0, ("K2", "PR5"): 0.5, ("K1", "PR2"): 0.0,
    ("ADOPTION", "PR1"): 0.6, ("ADOPTION", "PR2"): 0.15, ("ADOPTION", "PR5"): 0.4,
    ("INDEPENDENT", "PR4"): 0.75, ("INDEPENDENT", "PR5"): 0.75, ("P2", "PR1"): 1.0, ("P2", "PR4"): 0.8,
    ("P1", "PR0"): 0.93,
}

# Why an 18-year-old's care ends, by the kind of placement they leave.
LEAVE_AT_18_FOSTER = choice_table({"E17": 38, "E5": 35, "E6": 5, "E8": 14, "E4A": 5, "E13": 3})
LEAVE_AT_18_OTHER = choice_table({"E5": 55, "E6": 15, "E8": 20, "E7": 4, "E4A": 3, "E9": 1, "E13": 2})
LEAVE_AT_18_UASC = choice_table({"E5": 58, "E6": 15, "E8": 22, "E16": 3, "E17": 2})
RETURN_HOME = choice_table({"E4A": 78, "E4B": 10, "E13": 12})
LEAVE_FROM_PARENTS = choice_table({"E4A": 3, "E41": 1})
LEAVE_LONG_TERM_YOUNG = choice_table({"E45": 3, "E46": 2, "E4A": 3, "E41": 1})
LEAVE_LONG_TERM_OLDER = choice_table({"E4A": 4, "E8": 1, "E13": 1, "E45": 1})
# Outcomes of the final hearing for a child on an interim care order: a legal status, or a reason care ends.
HEARING_YOUNG = choice_table({"E1": 42, "C2": 28, "P1": 5, "E47": 8, "E48": 4, "E41": 5, "E4A": 8})
HEARING_OLDER = choice_table({"C2": 66, "E47": 6, "E48": 2, "E41": 6, "E4A": 8, "P1": 12})

# Care leavers: (in touch, activity, accommodation) tables.
IN_TOUCH_18 = choice_table({"YES": 96, "NO": 1.5, "REFU": 1, "NREQ": 1.5})
IN_TOUCH_19_21 = choice_table({"YES": 89, "NO": 4, "REFU": 3, "NREQ": 2.6, "RHOM": 1.2, "DIED": 0.2})
ACTIVITY_17_18 = choice_table({"F2": 45, "P2": 5, "F4": 6, "F5": 9, "P5": 3, "G4": 6, "G5": 21, "G6": 5})
ACTIVITY_19_21 = choice_table({"F1": 9, "P1": 2, "F2": 12, "P2": 4, "F4": 6, "P4": 1, "F5": 16, "P5": 7,
                               "G4": 10, "G5": 20, "G6": 8})
ACCOM_18 = choice_table({"D1": 36, "E1": 17, "B1": 13, "U1": 9, "C1": 6, "T1": 5, "K1": 2, "Y1": 2,
                         "D2": 1.5, "B2": 1, "S2": 0.5, "V2": 0.5, "W2": 0.5, "E2": 0.5})
ACCOM_19_21 = choice_table({"U1": 40, "D1": 18, "B1": 14, "E1": 8, "T1": 3, "K1": 3, "C1": 2, "Y1": 2,
                            "G1": 0.5, "R1": 0.5, "U2": 1.2, "D2": 1, "B2": 0.8, "S2": 0.8, "X2": 0.5,
                            "V2": 0.3, "W2": 0.2, "K2": 0.2})

RHI_OTHER_OUTCOMES = choice_table({"completed": 110, "refused_child": 9, "refused_parent": 3.5, "exempt": 2.5,
                                   "not_completed": 5})
# Hours of the day children are reported missing: mostly evenings.
MISSING_HOURS = choice_table({h: w for h, w in enumerate(
    (3, 2, 1.5, 1, 0.6, 0.5, 0.6, 1, 1.5, 2, 2, 2.5, 3, 3.5, 4, 5, 6.5, 8, 9, 10, 10, 9, 7, 5))})

UNSTABLE_PLACE = {"K2", "K1", "R1", "Z1", "Z11"}
FOSTER_TYPES = {"U1", "U2", "U3", "U4", "U5", "U6"}
ADOPTION_TYPES = {"A3", "A4", "A5", "A6"}
INDEPENDENT_TYPES = {"H5", "P2", "K3"}


def as_written(ptype: str, year: int) -> str:
    """The placement type as the collection year `year` (2024 for 2024-25) writes it."""
    if ptype in ("H5", "P2") and year >= 2024:
        return "K3"
    if ptype == "Z1" and year >= 2025:
        return "Z11"
    return ptype
