"""Capacity-building analytics on a tiny database built here, labelled by the keyword
stand-in (``fake_classify``): "would welcome"/"needs" is a need, "offers" an offer;
"police" is law enforcement, "evidence" electronic evidence, "awareness" prevention."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ieg_analysis.analytics.capacity import (
    capacity_totals,
    cell_evidence,
    needs_matrix,
    priority_table,
    providers,
    state_need_intensity,
    wilson_lower_sql,
)
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.errors import InvalidValueError, UnknownTopicError
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from tests.factories import fake_classify

LE, EE, PREV = "law_enforcement", "electronic_evidence", "prevention"
DOCUMENTS = [
    # (submitter, meeting, actor_type, kind, passages)
    (
        "Ghana",
        4,
        None,
        "written_submission",
        [
            "Ghana would welcome training for police officers in rural districts.",
            "Ghana would welcome a second course for police cybercrime units.",
            "Ghana would welcome help on the handling of evidence in court.",
        ],
    ),
    (
        "Kenya",
        5,
        None,
        "written_submission",
        [
            "Kenya needs police training on cryptocurrency tracing.",
            "Kenya offers awareness campaigns for parents and teachers.",
        ],
    ),
    (
        "Nigeria",
        4,
        None,
        "written_submission",
        [
            "Nigeria reports on the work of its courts this year.",
            "Nigeria offers evidence handling courses to neighbouring States.",
        ],
    ),
    ("France", 4, None, "written_submission", ["France offers police training in French."]),
    ("Germany", 4, None, "statement", ["Germany would welcome evidence tools for courts."]),
    (
        "UNODC Global Programme on Cybercrime",
        4,
        "unodc",
        "written_submission",
        ["UNODC offers police training for any region that asks."],
    ),
]


def _csv(rows: list[str]) -> bytes:
    return ("text\n" + "".join(f'"{row}"\n' for row in rows)).encode()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Database:
    return _build(tmp_path_factory.mktemp("capacity") / "capacity.duckdb", DOCUMENTS)


def _build(path: Path, documents: list) -> Database:
    settings = Settings(db_path=path, model_dir=path.parent / "models")
    requests = [
        IngestRequest(
            name=f"{submitter.split()[0].lower()}-{meeting}.csv",
            data=_csv(passages),
            meeting=meeting,
            submitter=submitter,
            kind=kind,
            actor_type=actor_type,
        )
        for submitter, meeting, actor_type, kind, passages in documents
    ]
    requests.append(
        IngestRequest(
            name="recs.csv",
            data=b"number,topic,text\n1,law_enforcement,States would welcome police training.\n",
            meeting=4,
            submitter="UNODC Global Programme on Cybercrime",
            kind="recommendation_list",
        )
    )
    report = ingest(Database(path), requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    fake_classify(Database(path))
    return Database(path)


def _cell(frame, region: str, topic: str):
    rows = frame[(frame["region"] == region) & (frame["topic_id"] == topic)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_matrix_has_one_row_per_region_and_topic_with_zeros(db) -> None:
    matrix = needs_matrix(db, Filters())
    assert not matrix.duplicated(["region", "topic_id"]).any()
    assert set(matrix["region"]) == {"African", "Western European and other"}
    assert len(matrix) == 2 * 6
    assert list(matrix.loc[matrix["region"] == "African", "topic_id"]) == [
        "legislation_frameworks",
        "criminalization",
        LE,
        EE,
        "international_cooperation",
        PREV,
    ]
    assert _cell(matrix, "African", "criminalization")["value"] == 0


def test_share_of_states_counts_each_state_once(db) -> None:
    matrix = needs_matrix(db, Filters())
    cell = _cell(matrix, "African", LE)
    # Ghana (two passages) and Kenya (one) of the three African States that submitted
    assert cell["states_submitting"] == 3
    assert cell["need_states"] == 2
    assert cell["need_passages"] == 3
    assert cell["value"] == pytest.approx(2 / 3)
    assert cell["states"] == ["Ghana", "Kenya"]
    assert _cell(matrix, "Western European and other", EE)["value"] == pytest.approx(1 / 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("share_states", 2 / 3), ("states", 2), ("passages", 3)],
)
def test_value_options(db, value: str, expected: float) -> None:
    cell = _cell(needs_matrix(db, Filters(), value=value), "African", LE)
    assert cell["value"] == pytest.approx(expected)
    assert cell["value_kind"] == value


def test_recommendation_lists_are_not_anyone_s_need(db) -> None:
    # the UNODC list says "States would welcome police training": not counted anywhere
    totals = capacity_totals(db, Filters())
    assert totals["need_passages"] == 5
    assert totals["states"] == 5
    assert totals["offer_passages"] == 4  # Kenya, Nigeria, France, UNODC


def test_filters_narrow_needs_and_the_denominator(db) -> None:
    cell = _cell(needs_matrix(db, Filters(meetings=(4,))), "African", LE)
    assert cell["states_submitting"] == 2  # Ghana and Nigeria; Kenya wrote for meeting 5
    assert cell["need_states"] == 1
    assert cell["value"] == pytest.approx(1 / 2)


def test_topic_filter_keeps_the_denominator_and_limits_the_columns(db) -> None:
    matrix = needs_matrix(db, Filters(topics=(LE,)))
    assert set(matrix["topic_id"]) == {LE}
    assert _cell(matrix, "African", LE)["states_submitting"] == 3


def test_offers_per_cell(db) -> None:
    matrix = needs_matrix(db, Filters(), value="states", measure="provision")
    assert _cell(matrix, "African", PREV)["value"] == 1  # Kenya
    assert _cell(matrix, "African", EE)["value"] == 1  # Nigeria
    assert _cell(matrix, "Western European and other", LE)["value"] == 1  # France
    assert _cell(matrix, "African", LE)["value"] == 0  # UNODC has no region


def test_gap_is_the_needs_of_cells_without_any_offer_from_the_region(db) -> None:
    matrix = needs_matrix(db, Filters(), value="passages", measure="gap")
    # African law enforcement: needs, and only France (other region) and UNODC (no region)
    # offer it: a gap of all three passages
    assert _cell(matrix, "African", LE)["value"] == 3
    assert _cell(matrix, "African", LE)["is_gap"]
    # African electronic evidence: Ghana's need is matched by Nigeria's offer
    assert _cell(matrix, "African", EE)["value"] == 0
    assert not _cell(matrix, "African", EE)["is_gap"]
    # an offer without a need is no gap
    assert _cell(matrix, "African", PREV)["value"] == 0
    assert _cell(matrix, "Western European and other", EE)["value"] == 1
    shares = needs_matrix(db, Filters(), measure="gap")
    assert _cell(shares, "African", LE)["value"] == pytest.approx(2 / 3)
    assert _cell(shares, "African", LE)["states"] == ["Ghana", "Kenya"]


def test_gap_counts_offers_of_the_region_even_under_a_state_filter(db) -> None:
    matrix = needs_matrix(db, Filters(states=("GHA",)), value="passages", measure="gap")
    assert _cell(matrix, "African", EE)["value"] == 0  # Nigeria's offer still counts
    assert _cell(matrix, "African", LE)["value"] == 2


def test_region_scheme_changes_the_rows(db) -> None:
    matrix = needs_matrix(db, Filters(region_scheme="m49_subregion"), value="states")
    assert set(matrix["region"]) == {"Sub-Saharan Africa", "Western Europe"}
    assert _cell(matrix, "Sub-Saharan Africa", LE)["value"] == 2
    assert _cell(matrix, "Western Europe", EE)["value"] == 1


def test_cell_evidence_lists_the_passages_behind_the_number(db) -> None:
    evidence = cell_evidence(db, Filters(), "African", LE, measure="need")
    assert len(evidence) == 3
    assert set(evidence["state"]) == {"Ghana", "Kenya"}
    assert {"meeting", "document", "para_number", "text", "need", "provision"} <= set(
        evidence.columns
    )
    assert (evidence["topic_score"] > 0.5).all()
    offers = cell_evidence(db, Filters(), "African", EE, measure="provision")
    assert list(offers["state"]) == ["Nigeria"]
    assert cell_evidence(db, Filters(), "African", EE, measure="gap").empty
    assert len(cell_evidence(db, Filters(), "African", LE, measure="gap")) == 3
    assert len(cell_evidence(db, Filters(), "African", LE, measure="need", limit=1)) == 1


def test_evidence_count_matches_the_matrix(db) -> None:
    matrix = needs_matrix(db, Filters(), value="passages")
    for _, cell in matrix.iterrows():
        evidence = cell_evidence(db, Filters(), cell["region"], cell["topic_id"], measure="need")
        assert len(evidence) == cell["value"]


def test_wilson_lower_bound_discounts_small_counts() -> None:
    def lower(k: int, n: int) -> float:
        return duckdb.sql(f"select {wilson_lower_sql(str(k), str(n))}").fetchone()[0]

    # textbook values of the 95 % Wilson interval's lower end
    assert lower(1, 1) == pytest.approx(0.2065, abs=1e-4)
    assert lower(21, 27) == pytest.approx(0.5924, abs=1e-4)
    assert lower(0, 4) == pytest.approx(0.0, abs=1e-12)
    assert lower(2, 2) < lower(21, 27) < 21 / 27  # a one- or two-State region does not lead
    assert lower(1, 1) < lower(3, 3)
    assert lower(50, 100) < lower(500, 1000) < 0.5  # closes in on the share as n grows


def test_priority_table_ranks_by_discounted_share_then_count(db) -> None:
    table = priority_table(db, Filters())
    pairs = list(zip(table["region"], table["topic_id"], strict=True))
    assert pairs == [
        ("African", LE),  # 2 of 3 States
        ("Western European and other", EE),  # 1 of 2
        ("African", EE),  # 1 of 3
    ]
    assert list(table["rank"]) == [1, 2, 3]
    top = table.iloc[0]
    assert top["need_passages"] == 3
    assert top["states"] == ["Ghana", "Kenya"]
    assert top["example_state"] in {"Ghana", "Kenya"}
    assert "police" in top["example_text"]
    assert len(priority_table(db, Filters(), top=1)) == 1


def test_a_one_state_region_does_not_lead_the_priorities(tmp_path) -> None:
    brazil = ("Brazil", 4, None, "written_submission", ["Brazil needs evidence software."])
    table = priority_table(_build(tmp_path / "one.duckdb", [*DOCUMENTS, brazil]), Filters())
    pairs = list(zip(table["region"], table["topic_id"], strict=True))
    assert pairs[:2] == [
        ("African", LE),  # 2 of 3 States: 0.2077
        ("Latin American and Caribbean", EE),  # 1 of 1 (the raw share, 100 %, led): 0.2065
    ]
    assert table["share_states"].iloc[1] == 1.0
    assert table["priority"].is_monotonic_decreasing


def test_state_need_intensity_is_per_state(db) -> None:
    frame = state_need_intensity(db, Filters(), LE).set_index("iso3")
    assert set(frame.index) == {"GHA", "KEN", "NGA", "FRA", "DEU"}
    assert frame.loc["GHA", "need_passages"] == 2
    assert frame.loc["GHA", "need_share"] == pytest.approx(2 / 3)
    assert frame.loc["KEN", "need_share"] == pytest.approx(1 / 2)
    assert frame.loc["NGA", "need_passages"] == 0
    assert frame.loc["FRA", "topic_passages"] == 1
    assert (
        state_need_intensity(db, Filters(), None).set_index("iso3").loc["GHA"]["need_passages"] == 3
    )


def test_providers_include_observers(db) -> None:
    frame = providers(db, Filters())
    assert set(frame["submitter"]) == {
        "Kenya",
        "Nigeria",
        "France",
        "UNODC Global Programme on Cybercrime",
    }
    unodc = frame.set_index("submitter").loc["UNODC Global Programme on Cybercrime"]
    assert unodc["actor_type"] == "unodc"
    assert unodc["region"] is None or unodc["region"] != unodc["region"]  # null
    assert unodc["topics"] == [LE]
    on_le = providers(db, Filters(), LE)
    assert set(on_le["submitter"]) == {"France", "UNODC Global Programme on Cybercrime"}


def test_unknown_options_are_refused_with_a_sentence(db) -> None:
    with pytest.raises(InvalidValueError):
        needs_matrix(db, Filters(), value="mean")
    with pytest.raises(InvalidValueError):
        needs_matrix(db, Filters(), measure="wishes")
    with pytest.raises(UnknownTopicError):
        cell_evidence(db, Filters(), "African", "1; drop table passage", measure="need")


def test_filters_that_match_nothing_give_empty_frames(db) -> None:
    nothing = Filters(meetings=(7,))
    assert needs_matrix(db, nothing).empty
    assert priority_table(db, nothing).empty
    assert state_need_intensity(db, nothing, LE).empty
    assert providers(db, nothing).empty
    assert capacity_totals(db, nothing)["states"] == 0
