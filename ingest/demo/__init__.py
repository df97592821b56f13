"""The demo county: a fictional council's monthly extracts, simulated.

"Exampleshire" (council code E10000099; districts North, South, East, West and
Central) looks after about 750 children. `generate` simulates its children's care
histories month by month with one seeded `random.Random` (same seed, same files)
and writes, for each month, the six extracts an analyst would receive, with the
real templates (`ingest.templates.write_workbook`), so the demo exercises exactly
what a council loads:

    <out_dir>/<YYYY-MM>/children_in_care.xlsx   every placement episode open at any time in the month
                                                (the first month: every episode of each child's
                                                current period of care, so stability has history)
                        visits.xlsx             statutory visits due in the month, done or not
                        missing_episodes.xlsx   episodes that started in the month, episodes still
                                                missing at the start of the month (updated), and
                                                earlier episodes whose return interview is in this
                                                month's file (so every month checks on its own)
                        return_interviews.xlsx  interviews completed, refused or given up in the month
                        health_assessments.xlsx initial assessments, reviews, dental checks and SDQs
                                                due in the month, and late ones completed in it
                        care_leavers.xlsx       care leavers whose 17th-21st birthday is in the month

A month's file shows only what was known at its month end: an episode that ends
later is open, a child still missing has no found date, a visit done late is blank.
The loader keeps the latest version of each record, so later files complete them.
Before the first month the county is simulated for `BURN_IN_MONTHS` unwritten
months, so the first month already has long-staying children and care leavers.

`generate_demo` also writes, from the same simulated children, the council's annual SSDA903
return (the DfE's children-looked-after return) for each collection year, as the DfE's CSV
files, so that figures from the monthly files and from the returns can be reconciled:

    <out_dir>/903/<YYYY-YY>/header.csv      each child with an episode in the year: sex, birth, ethnicity
                            episodes.csv    every episode open at any time in the year, as at 31 March
                            uasc.csv        the unaccompanied asylum-seeking children among them
                            missing.csv     missing and away episodes started in the year by children in care
                            oc2.csv         children looked after 12 months at 31 March: health, dental, SDQ
                            oc3.csv         care leavers with a 17th-21st birthday in the year

The years are those wholly inside the written months, preceded by enough years of the
burn-in that every episode of every child in care in the written months is in some return
(so a period of care can be followed back to its start); the rules are in `returns`.
Missing, OC2 and OC3 come from the monthly records, which exist only for the written
months: years before them have a header-only missing.csv, and any year not wholly written
a header-only oc2.csv and oc3.csv.

The modules: `county` simulates the children's care (drawing from `tables`, with the
records of `people` and the dates of `calendar`); `appointments` and `missing` add the
visits, health assessments, missing episodes and return interviews; `extracts` turns it
all into each month's rows and writes the workbooks; `returns` writes the annual 903 returns.

Deliberate patterns, to check by eye on the scorecard. Dates are for the default
window (36 months to March 2025); with another `last_period` every pattern keeps its
distance from the last month:

1. Children in care: about 750 at each month end (between about 720 and 800), the
   number who are not UASC drifting up by about 35 over the window; about 10% are
   unaccompanied asylum-seeking children (UASC).
2. UASC arrivals peak every summer (July to September, about three times the winter
   rate); UASC are aged 15-17 and nearly all boys.
3. Missing episodes spike in July and August 2023 (about 45% more, for children in
   care and other children alike); otherwise about 100 a month, a third by children
   in care.
4. Initial health assessments (IHA) in timescale dip for four months, September to
   December 2023 (in county from about 85% to about 45%, out of county from about
   40% to about 20%), and recover from January 2024. Out-of-county IHAs are always
   much worse than in-county ones.
5. Statutory visits in timescale dip in the winter of December 2023 to February 2024
   (a staff shortage: from about 88% to about 70%), partly recover in March and are
   back to normal from April 2024.
6. Return home interviews (RHI) within 72 hours of the child being found improve
   over the last 12 months, from about 35-40% to about 55-60% of those completed;
   about 78% of ended episodes get a completed RHI throughout (fewer in the last
   month, whose late interviews are not held yet). Children found on a Friday
   evening or at a weekend wait for Monday.
7. Code changes as real exports show them: sex is written 1/2 for about a third of
   the children (records migrated from an older system) up to March 2024 and M/F for
   everyone from April 2024 (the DfE change in 2024-25); H5 and P2 (semi-independent
   and independent living) are written K3 from April 2024; Z1 is written Z11 from
   April 2025.
8. Steady background: about 10% of children in care have had 3+ placements in the
   last 12 months; about 70% of under-16s in care 2.5+ years have been in the same
   placement 2+ years; about 30% of children (excluding UASC) are placed outside the
   county and about 25% 20+ miles from home; statutory visits about 88% in
   timescale; care leavers in touch about 90%, in suitable accommodation about 87%,
   and about 50-55% of those aged 19-21 in education, employment or training.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.demo.calendar import add_working_days, bank_holidays, is_working_day, periods_ending
from ingest.demo.county import BURN_IN_MONTHS
from ingest.demo.extracts import FILES, simulate, write_extracts
from ingest.demo.returns import RETURN_FILES, history_years_needed, return_years, write_returns
from ingest.demo.tables import COUNCIL, COUNCIL_NAME

__all__ = ["BURN_IN_MONTHS", "COUNCIL", "COUNCIL_NAME", "FILES", "RETURN_FILES", "DemoFiles", "add_working_days",
           "bank_holidays", "generate", "generate_demo", "history_years_needed", "is_working_day", "periods_ending",
           "return_years", "simulate", "write_returns"]

RETURNS_FOLDER = "903"


@dataclass
class DemoFiles:
    """What `generate_demo` wrote, oldest first."""
    months: list[tuple[str, list[Path]]]
    """(period, its six workbooks), as `generate` returns them."""
    returns: list[tuple[str, list[Path]]]
    """(collection year, its six CSV files in RETURN_FILES order)."""


def generate_demo(out_dir: Path, months: int = 36, last_period: str = "2025-03", seed: int = 2019, *,
                  workers: int | None = None, return_history_years: int | None = None) -> DemoFiles:
    """Write `months` months of the demo county's extracts, ending at `last_period`, into
    <out_dir>/<YYYY-MM>/, and its SSDA903 returns into <out_dir>/903/<YYYY-YY>/.

    The returns are for the collection years wholly inside those months and
    `return_history_years` years before them (None: as many as it takes for every episode of
    every child in care in the written months to be in some return). The rows are simulated
    in this process; writing the workbooks (most of the time: XlsxWriter does about 100,000
    cells a second) is shared between `workers` processes (default: one per CPU, at most 4).
    The files' content does not depend on `workers`, and writing the returns draws nothing
    from the generator, so the monthly files are the same with or without them.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    periods, extracts = simulate(months, last_period, seed)
    month_files = list(zip(periods, write_extracts(out_dir, periods, extracts, workers)))
    # After the monthly rows: OC3 repeats the care leavers' rows drawn as they were made.
    history = history_years_needed(extracts) if return_history_years is None else return_history_years
    returns = write_returns(Path(out_dir) / RETURNS_FOLDER, extracts, return_years(periods, history))
    return DemoFiles(month_files, returns)


def generate(out_dir: Path, months: int = 36, last_period: str = "2025-03", seed: int = 2019, *,
             workers: int | None = None) -> list[tuple[str, list[Path]]]:
    """Write the demo county as `generate_demo` does (the returns too); returns
    [(period, [paths of its six files]), ...], oldest month first."""
    return generate_demo(out_dir, months, last_period, seed, workers=workers).months
