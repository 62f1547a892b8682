"""match_need, match_offer and match_link (migration 016) stay equal to the live
computation after every kind of write (ingest, classification, term matching, corrections of
a need and of an offer, deletion, a new model), and the matching analytics answer the same
from them as live."""

from __future__ import annotations

import pandas as pd
import pytest

from ieg_analysis.analytics import matching
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.records import Actor
from ieg_analysis.store import writer as writer_module
from ieg_analysis.store.db import Database
from ieg_analysis.store.matches import (
    LINK_COLUMNS,
    MATCH_NEED_SQL,
    MATCH_OFFER_SQL,
    STORED_PER_NEED,
    STORED_SCHEME,
    matches_current,
    ranked_sql,
)
from ieg_analysis.store.writer import Writer
from tests.factories import fake_classify
from tests.store.test_facts import _document, _frame, match_terms


def assert_matches_current(db: Database, per_need: int = STORED_PER_NEED) -> None:
    """The match tables are used, and hold what the live computation says."""
    assert matches_current(db)
    live_links = ranked_sql("v_passage", STORED_SCHEME) + f" select {LINK_COLUMNS} from best"  # noqa: S608
    links = _frame(db, f"select {LINK_COLUMNS} from match_link")  # noqa: S608
    expected = _frame(db, live_links, [per_need] * 2)
    pd.testing.assert_frame_equal(links, expected)
    needs = _frame(db, "select * exclude (matched) from match_need")
    live_needs = MATCH_NEED_SQL.format(source="v_passage", scope="true")
    expected = _frame(db, f"select * exclude (matched) from ({live_needs})")  # noqa: S608
    pd.testing.assert_frame_equal(needs, expected)
    matched = set(db.query("select passage_id from match_need where matched")["passage_id"])
    assert matched == set(links["need_id"])
    offers = _frame(db, "select * from match_offer")
    pd.testing.assert_frame_equal(
        offers, _frame(db, MATCH_OFFER_SQL.format(source="v_passage", scope="true"))
    )


@pytest.fixture
def stored(db: Database, reference) -> Database:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document("a", Actor("Ghana", "member_state", "GHA")))
        writer.add_document(_document("b", Actor("Kenya", "member_state", "KEN"), meeting=6))
        writer.add_document(_document("c", Actor("France", "member_state", "FRA"), meeting=4))
    return db


def _need_and_offer(db: Database) -> tuple[int, int]:
    row = db.query(
        "select min(passage_id) filter (where capacity_label = 'need') as need, "
        "min(passage_id) filter (where capacity_label = 'provision') as offer from passage_fact"
    ).iloc[0]
    return int(row["need"]), int(row["offer"])


@pytest.mark.parametrize("scoped", [False, True])
def test_every_write_keeps_the_matches_current(
    stored: Database, monkeypatch: pytest.MonkeyPatch, scoped: bool
) -> None:
    """``scoped``: one submitter per need kept, and every write that touches offers
    redoes only the needs they enter or leave (never all): the small database then
    exercises what a large one does."""
    db = stored
    per_need = STORED_PER_NEED
    if scoped:
        per_need = 1
        monkeypatch.setattr(writer_module, "STORED_PER_NEED", per_need)
        monkeypatch.setattr(Writer, "MATCH_WHOLE_PROVIDERS", 2.0)
        monkeypatch.setattr(Writer, "MATCH_WHOLE_NEEDS", 2.0)
    redone: list = []  # the needs each refresh ranked again (None: every need)
    redo = Writer._redo_links

    def spy(self, needs):
        redone.append(needs)
        redo(self, needs)

    monkeypatch.setattr(Writer, "_redo_links", spy)

    def check() -> None:
        assert_matches_current(db, per_need)

    check()  # ingested, not classified: no needs
    assert db.scalar("select count(*) from match_need") == 0
    fake_classify(db)
    check()
    match_terms(db)  # "training" in both the needs and the offers: they match
    check()
    assert db.scalar("select count(*) from match_link") > 0
    need, offer = _need_and_offer(db)
    with Writer(db) as writer:  # a need stays a need on another topic: its rows alone
        writer.record_correction(
            need, user="alice", topics=["prevention"], topic="prevention", capacity="need"
        )
    check()
    assert redone[-1] == [need]
    with Writer(db) as writer:  # an offer becomes no offer: the needs that listed it
        writer.record_correction(
            offer, user="alice", topics=["prevention"], topic="prevention", capacity="none"
        )
    check()
    assert (redone[-1] is None) is not scoped
    with Writer(db) as writer:  # an offer again, on other topics: the needs it enters
        writer.record_correction(
            offer,
            user="alice",
            topics=["electronic_evidence"],
            topic="electronic_evidence",
            capacity="provision",
        )
    check()
    count = len(redone)
    with Writer(db) as writer:  # a new document, not classified yet: nothing to redo
        writer.add_document(_document("d", Actor("Chile", "member_state", "CHL"), meeting=5))
    check()
    assert len(redone) == count
    fake_classify(db)
    match_terms(db)
    check()
    with Writer(db) as writer:
        first = int(writer.con.execute("select min(id) from document").fetchone()[0])
        writer.delete_document(first, user="alice")
    check()
    fake_classify(db, version="test-2")  # a new model version: rebuilt whole
    check()


def test_a_write_around_the_writer_makes_readers_compute_live(stored: Database) -> None:
    db = stored
    fake_classify(db)
    match_terms(db)
    with Writer(db) as writer:
        writer.con.execute("delete from match_link")
        writer._bump_version()
    assert not matches_current(db)
    assert not matching.match_links(db, Filters()).empty  # live
    with Writer(db) as writer:  # the next write through the writer rebuilds them
        writer.rebuild_search_index()
    assert_matches_current(db)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(meetings=(5, 6)),
        Filters(regions=("African",), topics=("electronic_evidence",)),
        Filters(region_scheme="m49_subregion"),
        Filters(states=("KEN",), languages=("en",)),
        Filters(kinds=("written_submission",)),  # the offers narrowed: ranked on reading
        Filters(actor_types=("member_state",), meetings=(5,)),
    ],
)
def test_the_analytics_answer_the_same_from_the_tables_as_live(
    stored: Database, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    db = stored
    fake_classify(db)
    match_terms(db)
    assert matches_current(db)

    def answers() -> tuple:
        return (
            matching.need_offer_matches(db, filters, per_need=10),
            matching.need_offer_matches(db, filters, per_need=2, offset=1, limit=1),
            matching.match_links(db, filters, per_need=3),
            matching.unmet_needs(db, filters),
            matching.match_flows(db, filters, per_need=2, top=1),
            matching.match_flows(db, filters, best_only=True),
            matching.matching_totals(db, filters),
            matching.matched_need_ids(db, filters),
            matching.matched_need_ids(db, filters, offset=1, limit=1),
        )

    stored_answers = answers()
    monkeypatch.setattr(matching, "matches_current", lambda _db: False)
    live = answers()
    assert not live[0].empty or filters != Filters()
    for got, want in zip(stored_answers[:6], live[:6], strict=True):
        pd.testing.assert_frame_equal(got, want)
    assert stored_answers[6:] == live[6:]
    # the flows and the page order agree with the links they summarise
    links = live[2]
    pd.testing.assert_frame_equal(
        live[4],
        matching.provider_region_flows(matching.match_links(db, filters, per_need=2), top=1),
        check_dtype=False,
    )
    assert live[7] == list(dict.fromkeys(links["need_id"]))
    assert live[8] == live[7][1:2]


def test_the_migration_fills_the_tables_as_the_writer_does(stored: Database) -> None:
    """Migration 016 fills the tables of an existing database with its own copy of the
    definitions: the same rows."""
    from ieg_analysis.store.schema import MIGRATIONS_DIR

    db = stored
    fake_classify(db)
    match_terms(db)
    text = (MIGRATIONS_DIR / "016_matches.sql").read_text(encoding="utf-8")
    fill = text[text.index("insert into match_need by name") :]
    with Writer(db) as writer:
        for table in ("match_link", "match_need", "match_offer"):
            writer.con.execute(f"delete from {table}")  # noqa: S608 - fixed names
        writer.con.execute(fill)
    assert db.scalar("select count(*) from match_link") > 0
    assert_matches_current(db)
