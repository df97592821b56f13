"""The data-quality checks that read more than one dataset, or more than one load.

- Reconciliation: a missing episode flagged as of a child in care, or a statutory visit,
  against the children in care list on that day; a return home interview against the
  missing episodes loaded. The same questions the upload asks of each file
  (`ingest.crosscheck`), asked here of everything the store holds, by the day of each
  event rather than by file. Where no list covers the event's month the check cannot be
  made: the record is listed as not checked, never as a mismatch.
- Records that disappeared between loads: a superseded load's records its replacement
  does not have (and no other current load holds), and those a later complete file ended
  or withdrew (from each load's summary).
- Figures flagged for incomplete history, and the children whose stored history begins
  part-way through a period of care.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from scorecard import store
from scorecard.metrics.compute import TOTAL
from scorecard.metrics.data_quality import Section, load_summary, months_text
from scorecard.metrics.data_quality_keys import (
    key_columns,
    key_frame,
    key_index,
    key_text,
    record_names,
)
from scorecard.metrics.records import Records
from scorecard.metrics.report import CouncilMetrics
from scorecard.vocabulary import DATASET_TITLES, RECORD_KEYS

MISMATCH, NOT_CHECKED = "mismatch", "not checked"
RECONCILE_COLUMNS = ["check", "result", "child_id", "episode_id", "date", "extract_id", "source_row", "reason"]


# --- reconciliation ------------------------------------------------------------------------

def in_care_on(records: Records, children: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each (child, day): whether the child's latest episode begun on or before the day
    was still open that day (ending that day counts: the child was in care for part of
    it), and whether the store holds any episode of the child."""
    episodes = records["children_in_care"]
    ordered = episodes.loc[episodes["episode_start"].notna(), ["child_id", "episode_start", "episode_end"]]
    ordered = ordered.astype({"child_id": object}).sort_values("episode_start", kind="stable")
    day = days.astype("datetime64[D]").astype("datetime64[s]")
    wanted = pd.DataFrame({"child_id": pd.Series(children, dtype=object), "day": day,
                           "position": np.arange(len(children))})
    wanted = wanted[~np.isnat(day)].sort_values("day", kind="stable")
    found = pd.merge_asof(wanted, ordered.astype({"episode_start": "datetime64[s]"}), left_on="day",
                          right_on="episode_start", by="child_id", direction="backward")
    open_then = found["episode_start"].notna().to_numpy() & (
        found["episode_end"].isna().to_numpy() | (found["episode_end"].to_numpy() >= found["day"].to_numpy()))
    result = np.zeros(len(children), dtype=bool)
    result[found["position"].to_numpy()] = open_then
    return result, pd.Series(children, dtype=object).isin(set(ordered["child_id"])).to_numpy()


def _check(name: str, frame: pd.DataFrame, days: np.ndarray, mismatched: np.ndarray, covered: set[str],
           reasons: np.ndarray, covering: str) -> tuple[dict, pd.DataFrame]:
    """One check's counts and its listed records: mismatches where a list covers the
    event's month, and the records no list covers (not checked)."""
    months = days.astype("datetime64[M]")
    checkable = np.isin(months, np.array(sorted(covered), dtype="datetime64[M]")) & ~np.isnat(days)
    listed = (mismatched & checkable) | ~checkable
    why = reasons.copy()
    why[~checkable] = [f"not checked: no {covering} covers {m}" for m in np.datetime_as_string(months[~checkable])]
    rows = pd.DataFrame({
        "check": name, "result": np.where(checkable, MISMATCH, NOT_CHECKED)[listed],
        "child_id": frame["child_id"].to_numpy(dtype=object)[listed],
        "episode_id": frame["episode_id"].to_numpy(dtype=object)[listed] if "episode_id" in frame else "",
        "date": key_text(pd.Series(days[listed], dtype="datetime64[s]")),
        "extract_id": frame["extract_id"].to_numpy()[listed], "source_row": frame["source_row"].to_numpy()[listed],
        "reason": why[listed]}, columns=RECONCILE_COLUMNS)
    counts = {"check": name, "checked": int(checkable.sum()), "mismatches": int((mismatched & checkable).sum()),
              "not_checked": int((~checkable).sum())}
    return counts, rows


def _care_reasons(known: np.ndarray, in_care: bool) -> np.ndarray:
    if in_care:
        return np.full(len(known), "in the children in care list on that day", dtype=object)
    return np.where(known, "in the children in care list, but not in care on that day",
                    "in no children in care list loaded").astype(object)


def reconciliation(records: Records) -> Section:
    """Missing episodes against the children in care list, visits against it, and return
    home interviews against the missing episodes loaded."""
    care_months = records.all_covered("children_in_care")
    checks = []
    missing = records["missing_episodes"]
    for flagged, name in ((True, "Missing episode of a child flagged as in care, who was not in care that day"),
                          (False, "Missing episode of a child flagged as not in care, who was in care that day")):
        chosen = missing.loc[missing["in_care"].to_numpy(dtype=bool) == flagged]
        days = chosen["missing_from"].to_numpy().astype("datetime64[s]")
        in_care, known = in_care_on(records, chosen["child_id"].to_numpy(dtype=object), days)
        mismatched = ~in_care if flagged else in_care
        checks.append(_check(name, chosen, days, mismatched, care_months, _care_reasons(known, not flagged),
                             "children in care list"))
    visits = records["visits"]
    days = visits["date_due"].to_numpy().astype("datetime64[s]")
    in_care, known = in_care_on(records, visits["child_id"].to_numpy(dtype=object), days)
    checks.append(_check("Statutory visit due for a child not in care on the due date", visits, days, ~in_care,
                         care_months, _care_reasons(known, False), "children in care list"))
    interviews = records["return_interviews"]
    held = interviews["held_at"].to_numpy().astype("datetime64[s]")
    offered = interviews["offered_at"].to_numpy().astype("datetime64[s]")
    as_at = pd.to_datetime(interviews["extract_as_at"]).to_numpy().astype("datetime64[s]")
    days = np.where(~np.isnat(held), held, np.where(~np.isnat(offered), offered, as_at))
    unknown = ~interviews["episode_id"].isin(set(missing["episode_id"])).to_numpy()
    checks.append(_check("Return home interview for a missing episode not loaded", interviews, days, unknown,
                         records.all_covered("missing_episodes"),
                         np.full(len(interviews), "no missing episode with this id is loaded", dtype=object),
                         "missing episodes extract"))
    summary = pd.DataFrame([counts for counts, _ in checks], columns=["check", "checked", "mismatches", "not_checked"])
    listed = pd.concat([rows for _, rows in checks], ignore_index=True)
    return Section("reconciliation", "Datasets that disagree", "Each record should agree with the others: a child "
                   "reported missing from care, or due a visit, should be in the children in care list that day, "
                   "and each return home interview should follow a missing episode loaded.",
                   summary, listed, int(summary["mismatches"].sum()),
                   "Checked where a list covers the month of the event; the others are listed as not checked.")


# --- records that disappeared between loads ------------------------------------------------

DISAPPEARED_COLUMNS = ["load", "dataset", "how", "child_id", "record", "from_extract", "source_row"]


def disappeared_records(conn: Connection, records: Records, extracts: list[dict]) -> Section:
    """For each load: the records of the load it superseded that it does not have and no
    current load holds (listed in full), and the records its summary says it ended or
    withdrew (the summary keeps the first few of those)."""
    rows, listed = [], []
    for extract in sorted(extracts, key=lambda e: e["id"], reverse=True):
        dataset = extract["dataset"]
        summary = load_summary(extract.get("changes"))
        replaced = [e for e in extracts if e["superseded_by"] == extract["id"]]
        dropped = _dropped(conn, records, dataset, extract, replaced) if replaced else []
        ended, withdrawn = summary.get("ended") or 0, summary.get("withdrawn") or 0
        if not (dropped or ended or withdrawn):
            continue
        title = DATASET_TITLES.get(dataset, dataset)
        rows.append({"load": extract["id"], "dataset": title,
                     "months": months_text(extract["first_month"], extract["last_month"]),
                     "source_file": extract["source_file"], "status": extract["status"],
                     "replaced": "; ".join(str(e["id"]) for e in replaced),
                     "dropped": len(dropped), "ended": ended, "withdrawn": withdrawn})
        listed += [{"load": extract["id"], "dataset": title, "how": "not in this load of the same months",
                    **record} for record in dropped]
        for how, examples in (("ended by this complete file", summary.get("ended_examples")),
                              ("withdrawn by this complete file", summary.get("withdrawn_examples"))):
            listed += [{"load": extract["id"], "dataset": title, "how": how, "child_id": "", "record": str(example),
                        "from_extract": None, "source_row": None} for example in examples or ()]
    summary = pd.DataFrame(rows, columns=["load", "dataset", "months", "source_file", "status", "replaced", "dropped",
                                          "ended", "withdrawn"])
    found = int(summary[["dropped", "ended", "withdrawn"]].sum().sum()) if len(summary) else 0
    shortened = int((summary["ended"] + summary["withdrawn"]).sum()) if len(summary) else 0
    note = ("A load's summary keeps the first few records it ended or withdrew; the counts are of all of them."
            if shortened else "")
    return Section("disappeared", "Records that disappeared between loads", "A record that a later load leaves "
                   "out no longer counts in any figure: check that it left on purpose (a corrected file) and not "
                   "by a short export.", summary, pd.DataFrame(listed, columns=DISAPPEARED_COLUMNS), found, note)


def _dropped(conn: Connection, records: Records, dataset: str, extract: dict, replaced: list[dict]) -> list[dict]:
    columns = sorted({"child_id", *key_columns(dataset)})
    names, rows = store.extract_records(conn, dataset, [extract["id"]], columns)
    kept = key_index(key_frame(dataset, names, rows), dataset)
    names, rows = store.extract_records(conn, dataset, [e["id"] for e in replaced], columns)
    earlier = key_frame(dataset, names, rows)
    keys = key_index(earlier, dataset)
    gone = earlier.loc[~keys.isin(kept) & ~keys.isin(key_index(records[dataset], dataset))]
    gone = gone.drop_duplicates(list(RECORD_KEYS[dataset]))
    return [{"child_id": child, "record": record, "from_extract": extract_id, "source_row": row}
            for child, record, extract_id, row in zip(gone["child_id"], record_names(dataset, gone),
                                                      gone["extract_id"], gone["source_row"])]


# --- incomplete history --------------------------------------------------------------------

def incomplete_history(metrics: CouncilMetrics) -> Section:
    """Every figure (indicator and month) flagged because the store lacks part of the
    children's history, newest first, and the children whose earliest stored episode
    does not begin their period of care."""
    values = metrics.values
    flagged = values[(values["breakdown"] == TOTAL) & values["history_note"].fillna("").astype(bool)]
    labels = {i.id: i.label for i in metrics.catalogue.indicators}
    summary = pd.DataFrame({
        "indicator": flagged["indicator"].map(labels).to_numpy(dtype=object), "period": flagged["period"].to_numpy(),
        "children": flagged["incomplete"].to_numpy(), "note": flagged["history_note"].to_numpy(dtype=object),
    }, columns=["indicator", "period", "children", "note"]).sort_values(["period", "indicator"],
                                                                       ascending=[False, True], kind="stable")
    episodes = metrics.records["children_in_care"]
    firsts = episodes.loc[episodes["history_before_unknown"].to_numpy(dtype=bool)].drop_duplicates("child_id")
    children = pd.DataFrame({
        "child_id": firsts["child_id"].to_numpy(dtype=object),
        "earliest_episode_start": key_text(firsts["episode_start"]),
        "extract_id": firsts["extract_id"].to_numpy(), "source_row": firsts["source_row"].to_numpy(),
    }, columns=["child_id", "earliest_episode_start", "extract_id", "source_row"])
    return Section("history", "Figures flagged for incomplete history", "A figure that needs a child's earlier "
                   "care (12 months in care, placements in the last year) is not rated where the store does not "
                   "hold it: load earlier returns to complete it.", summary.reset_index(drop=True), children,
                   len(summary), f"{len(children):,} children's stored history begins part-way through their "
                   "period of care." if len(children) else "")
