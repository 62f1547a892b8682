"""The Secretariat's decisions on clusters, written through the store's writer. Every function
takes the user it acts for (recorded with the decision and in the audit log); the caller has
checked that this user is signed in as Secretariat, and an empty user is refused here too.

- accept: the cluster's other members are ``merged`` into the representative
  (``merged_into_id``); the representative keeps its status; the members stay together;
- split: a member leaves the cluster and never rejoins those members; if an accept decision
  had merged it into the representative, its earlier status comes back (an outcome ingested
  from a stock-taking list is left alone);
- merge: two clusters become one (accept it afterwards to record the outcome).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InvalidValueError, NotAuthorisedError
from ..store.db import Database
from ..store.writer import Writer
from . import queries


def accept(
    db: Database,
    member_ids: Sequence[int],
    representative_id: int,
    *,
    user: str,
    threshold: float | None = None,
) -> int:
    """Merge every other member into ``representative_id``; return the decision id."""
    _require(user)
    members = sorted(set(int(i) for i in member_ids))
    if representative_id not in members:
        raise InvalidValueError("The representative must be a member of the cluster.")
    if len(members) < 2:
        raise InvalidValueError("A cluster needs at least two recommendations to consolidate.")
    refs = _references(db, members)
    others = [i for i in members if i != representative_id]
    with Writer(db) as writer:
        return writer.record_consolidation(
            user=user,
            action="accept",
            member_ids=members,
            representative_id=representative_id,
            together=[(representative_id, i) for i in others],
            outcomes=[(i, "merged", representative_id) for i in others],
            threshold=threshold,
            note=f"accepted {refs[representative_id]}, merging "
            + ", ".join(refs[i] for i in others),
        )


def split(
    db: Database,
    member_ids: Sequence[int],
    removed_id: int,
    *,
    user: str,
    threshold: float | None = None,
) -> int:
    """Take ``removed_id`` out of the cluster ``member_ids``; return the decision id."""
    _require(user)
    members = sorted(set(int(i) for i in member_ids))
    if removed_id not in members:
        raise InvalidValueError("The recommendation to split off is not in the cluster.")
    refs = _references(db, members)
    others = [i for i in members if i != removed_id]
    restore = _restored(db, removed_id, others)
    with Writer(db) as writer:
        return writer.record_consolidation(
            user=user,
            action="split",
            member_ids=members,
            removed_id=removed_id,
            apart=[(removed_id, i) for i in others],
            outcomes=restore,
            threshold=threshold,
            note=f"split {refs[removed_id]} off the cluster of "
            + ", ".join(refs[i] for i in others),
        )


def merge(
    db: Database,
    first_ids: Sequence[int],
    second_ids: Sequence[int],
    *,
    user: str,
    threshold: float | None = None,
) -> int:
    """Make two clusters one; return the decision id."""
    _require(user)
    first = sorted(set(int(i) for i in first_ids))
    second = sorted(set(int(i) for i in second_ids) - set(first))
    if not first or not second:
        raise InvalidValueError("Choose two different clusters to merge.")
    members = first + second
    refs = _references(db, members)
    anchor = first[0]
    with Writer(db) as writer:
        return writer.record_consolidation(
            user=user,
            action="merge",
            member_ids=members,
            together=[(anchor, i) for i in members if i != anchor],
            threshold=threshold,
            note="merged the clusters of "
            + ", ".join(refs[i] for i in first)
            + " and "
            + ", ".join(refs[i] for i in second),
        )


def _restored(
    db: Database, removed_id: int, others: list[int]
) -> list[tuple[int, str, int | None]]:
    """The status ``removed_id`` had before an accept merged it into one of ``others``."""
    recs = queries.recommendations(db, statuses=("preliminary", "adopted", "merged", "withdrawn"))
    row = recs[recs["id"] == removed_id]
    if row.empty or row.iloc[0]["status"] != "merged":
        return []
    target = row.iloc[0]["merged_into_id"]
    if target is None or int(target) not in others:
        return []
    for decision in queries.decisions(db).iloc[::-1].itertuples(index=False):
        if decision.action != "accept" or decision.representative_id != int(target):
            continue
        for before in decision.previous:
            if before["id"] == removed_id:
                return [(removed_id, before["status"], before["merged_into_id"])]
    return []  # merged by an ingested outcome list, not here: that outcome is left alone


def _references(db: Database, ids: list[int]) -> dict[int, str]:
    recs = queries.recommendations(db, statuses=("preliminary", "adopted", "merged", "withdrawn"))
    refs = dict(zip(recs["id"].astype(int), recs["reference"], strict=True))
    missing = [i for i in ids if i not in refs]
    if missing:
        raise InvalidValueError(
            f"Recommendation id {missing[0]} does not exist (any more); reload the page."
        )
    return refs


def _require(user: str) -> None:
    if not user or not str(user).strip():
        raise NotAuthorisedError()
