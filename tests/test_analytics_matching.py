"""Needs-to-offers matching on a hand-built database: documents through the real ingest
pipeline, then explicit classification and vocabulary-term rows through the writer, so the
expected order follows from the rows written here and from nothing else."""

from __future__ import annotations

import pandas as pd
import pytest

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.analytics.matching import (
    OTHER_PROVIDERS,
    match_flows,
    match_links,
    matched_need_ids,
    matches_for_export,
    matching_totals,
    need_offer_matches,
    provider_region_flows,
    unmet_needs,
)
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.records import TOPIC_IDS
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer

VERSION = "match-1"
EE, LE, PREV = "electronic_evidence", "law_enforcement", "prevention"
COC, DF, AW = "chain_of_custody", "digital_forensics", "awareness_campaign"
NEED_TEXT = "Ghana would welcome training of prosecutors on electronic evidence."
# submitter, actor type (None: a State), meeting, text, capacity label, topics, terms
ROWS = [
    ("Ghana", None, 4, NEED_TEXT, "need", [EE], [COC, DF]),
    (
        "Ghana",
        None,
        4,
        "Ghana offers its own forensic laboratory to others.",
        "provision",
        [EE],
        [COC, DF],
    ),  # noqa: E501 - own offer: never a match for its own need
    (
        "Chile",
        None,
        6,
        "Chile lacks resources for awareness campaigns in schools.",
        "need",
        [PREV],
        [AW],
    ),  # noqa: E501
    (
        "France",
        None,
        5,
        "France offers courses on the chain of custody and forensics.",
        "provision",
        [EE],
        [COC, DF],
    ),  # noqa: E501
    ("France", None, 5, "France offers help with evidence in general.", "provision", [EE], []),
    (
        "Nigeria",
        None,
        4,
        "Nigeria offers mentoring on the chain of custody for prosecutors.",
        "provision",
        [EE],
        [COC],
    ),  # noqa: E501
    (
        "Germany",
        None,
        5,
        "Germany offers digital forensics training for judges.",
        "provision",
        [EE],
        [DF],
    ),  # noqa: E501
    (
        "Spain",
        None,
        5,
        "España ofrece formación a los fiscales y jueces sobre la cadena de custodia de las "
        "pruebas electrónicas en los procesos penales de la región.",
        "provision",
        [EE],
        [COC],
    ),
    (
        "UNODC Global Programme on Cybercrime",
        "unodc",
        5,
        "UNODC offers forensic software and police training.",
        "provision",
        [LE],
        [COC, DF],
    ),  # noqa: E501
    (
        "Brazil",
        None,
        6,
        "Brazil offers a campaign toolkit about online safety.",
        "provision",
        [LE],
        [],
    ),  # noqa: E501
]


def _classification(source_id: int, labels: list[str], capacity: str) -> dict:
    scores = {t: (0.9 if t in labels else 0.05) for t in TOPIC_IDS}
    capacity_scores = {c: (0.8 if c == capacity else 0.1) for c in ("need", "provision", "none")}
    return {
        "passage_id": source_id,
        "model_version": VERSION,
        "classified": True,
        "reason": None,
        **scores,
        "topic": labels[0] if labels else None,
        "topic_labels": labels,
        **capacity_scores,
        "capacity_label": capacity,
    }


@pytest.fixture(scope="module")
def match_db(tmp_path_factory) -> Database:
    folder = tmp_path_factory.mktemp("matching")
    settings = Settings(db_path=folder / "m.duckdb", model_dir=folder / "models")
    db = Database(settings.db_path)
    by_submitter: dict[tuple[str, str | None, int], list[str]] = {}
    for submitter, actor_type, meeting, text, *_ in ROWS:
        by_submitter.setdefault((submitter, actor_type, meeting), []).append(text)
    requests = [
        IngestRequest(
            name=f"{submitter}-{meeting}.csv",
            data=pd.DataFrame({"text": texts}).to_csv(index=False).encode(),
            meeting=meeting,
            submitter=submitter,
            actor_type=actor_type,
            kind="written_submission",
            received="2018-03-01",
        )
        for (submitter, actor_type, meeting), texts in by_submitter.items()
    ]
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    ids = dict(db.query("select text, id from passage").itertuples(index=False))
    assert len(ids) == len(ROWS)
    scores = pd.DataFrame([_classification(ids[text], t, c) for _, _, _, text, c, t, _ in ROWS])
    terms = pd.DataFrame(
        [
            {"source_id": ids[text], "term_id": term, "start_char": None, "end_char": None}
            for *_, text, _, _, row_terms in ROWS
            for term in row_terms
        ]
    )
    with Writer(db) as writer:
        writer.register_model(VERSION, meta="{}", evaluation=None)
        writer.store_classifications("passage", VERSION, scores, terms)
    return db


def test_offers_are_ranked_by_topic_then_terms_then_region_then_language(match_db) -> None:
    matches = need_offer_matches(match_db, Filters(), per_need=10)
    ghana = matches[matches["need_text"] == NEED_TEXT]
    assert ghana["provider"].tolist() == [
        "France",  # same topic, terms identical (Jaccard 1)
        "Nigeria",  # Jaccard 1/2, same region (African) and language
        "Germany",  # Jaccard 1/2, same language, other region
        "Spain",  # Jaccard 1/2, other region and language
        "UNODC Global Programme on Cybercrime",  # Jaccard 1 but no shared topic: last
    ]
    assert ghana["rank"].tolist() == [1, 2, 3, 4, 5]
    first = ghana.iloc[0]
    assert first["offer_text"].startswith("France offers courses")  # its best offer, once
    assert first["term_jaccard"] == pytest.approx(1.0)
    assert first["shared_terms"] == [COC, DF] and first["shared_topics"] == [EE]
    nigeria, germany, spain, unodc = (ghana.iloc[i] for i in range(1, 5))
    assert nigeria["same_region"] and nigeria["same_language"]
    assert not germany["same_region"] and germany["same_language"]
    assert nigeria["term_jaccard"] == germany["term_jaccard"] == pytest.approx(0.5)
    assert spain["offer_language"] == "es" and not spain["same_language"]
    assert not unodc["topic_match"] and pd.isna(unodc["provider_region"])
    # Brazil offers nothing on the topic or its terms; Ghana's own offer never matches
    assert not {"Brazil", "Ghana"} & set(ghana["provider"])


def test_per_need_keeps_the_best(match_db) -> None:
    matches = need_offer_matches(match_db, Filters(), per_need=2)
    assert matches["provider"].tolist() == ["France", "Nigeria"]


def test_links_and_pages_are_the_same_matches(match_db) -> None:
    every = need_offer_matches(match_db, Filters(), per_need=10)
    links = match_links(match_db, Filters(), per_need=10)
    columns = ["need_id", "need_meeting", "need_state", "rank", "provider", "provider_type"]
    pd.testing.assert_frame_equal(links[columns], every[columns])
    need = int(every["need_id"].iloc[0])
    only = need_offer_matches(match_db, Filters(), per_need=10, need_ids=(need,))
    pd.testing.assert_frame_equal(only, every)
    assert need_offer_matches(match_db, Filters(), need_ids=()).empty
    assert need_offer_matches(match_db, Filters(), per_need=10, limit=1).equals(every)
    assert need_offer_matches(match_db, Filters(), offset=1, limit=1).empty


def test_needs_nobody_meets_are_listed(match_db) -> None:
    unmet = unmet_needs(match_db, Filters())
    assert unmet["state"].tolist() == ["Chile"]
    assert unmet.iloc[0]["topics"] == [PREV] and unmet.iloc[0]["terms"] == [AW]
    assert unmet_needs(match_db, Filters(), limit=0).empty
    totals = matching_totals(match_db, Filters())
    assert (totals["needs"], totals["matched"], totals["unmet"]) == (2, 1, 1)
    assert totals["providers"] == 5
    assert totals["term_matched"] == 1  # Ghana's need: France shares its terms


def test_a_need_met_on_its_topic_only_is_not_met_on_a_sub_theme(match_db, monkeypatch) -> None:
    from ieg_analysis.analytics import matching

    ghana = int(match_db.scalar("select id from passage where text = ?", [NEED_TEXT]))
    with Writer(match_db) as writer:  # the need names no vocabulary term any more
        writer.con.execute("delete from text_term where source_id = ?", [ghana])
    monkeypatch.setattr(matching, "matches_current", lambda _db: False)  # from the passages
    totals = matching_totals(match_db, Filters())
    assert (totals["matched"], totals["term_matched"]) == (1, 0)


def test_filters_choose_the_needs_and_narrow_the_offers(match_db) -> None:
    # a meeting filter chooses needs; offers of other meetings still meet them
    only_four = need_offer_matches(match_db, Filters(meetings=(4,)), per_need=10)
    assert set(only_four["offer_meeting"]) == {4, 5}
    assert need_offer_matches(match_db, Filters(meetings=(6,))).empty
    # the submitter-type filter narrows the offers, not the needs
    unodc = need_offer_matches(match_db, Filters(actor_types=("unodc",)), per_need=10)
    assert unodc["provider"].tolist() == ["UNODC Global Programme on Cybercrime"]
    assert unodc["rank"].tolist() == [1]
    # the region filter chooses whose needs; "same region" follows the region scheme
    african = need_offer_matches(match_db, Filters(regions=("African",)), per_need=10)
    assert set(african["need_state"]) == {"Ghana"}
    by_subregion = need_offer_matches(match_db, Filters(region_scheme="m49_subregion"), per_need=10)
    ghana = by_subregion.set_index("provider")
    assert ghana.loc["Nigeria", "same_region"]  # both Sub-Saharan Africa
    assert ghana.loc["Nigeria", "need_region"] == "Sub-Saharan Africa"


def test_flows_from_providers_to_regions(match_db) -> None:
    matches = need_offer_matches(match_db, Filters(), per_need=10)
    flows = provider_region_flows(matches, top=2)
    assert flows["provider"].tolist() == ["France", "Germany", OTHER_PROVIDERS]
    assert flows["region"].unique().tolist() == ["African"]
    assert flows.set_index("provider").loc[OTHER_PROVIDERS, "value"] == 1  # one need
    best = provider_region_flows(matches, best_only=True)
    assert best["provider"].tolist() == ["France"]
    assert provider_region_flows(matches.iloc[0:0]).empty


@pytest.mark.parametrize("best_only", [False, True])
@pytest.mark.parametrize("top", [1, 2, 12])
def test_flows_in_the_database_are_those_of_the_links(match_db, best_only, top) -> None:
    links = match_links(match_db, Filters(), per_need=10)
    expected = provider_region_flows(links, top=top, best_only=best_only)
    flows = match_flows(match_db, Filters(), per_need=10, best_only=best_only, top=top)
    pd.testing.assert_frame_equal(flows, expected, check_dtype=False)
    assert match_flows(match_db, Filters(meetings=(6,))).empty


def test_matched_need_ids_page_through_the_needs_with_a_match(match_db) -> None:
    links = match_links(match_db, Filters())
    assert matched_need_ids(match_db, Filters()) == list(dict.fromkeys(links["need_id"]))
    assert matched_need_ids(match_db, Filters(), offset=1, limit=25) == []


def test_export_has_readable_headings_and_labels(match_db) -> None:
    matches = need_offer_matches(match_db, Filters(), per_need=1)
    table = matches_for_export(
        matches,
        topic_labels={EE: "Electronic evidence"},
        term_labels={COC: "chain of custody"},
    )
    row = table.iloc[0]
    assert row["Who offers"] == "France"
    assert row["Submitter type"] == "Member State"
    assert row["Shared topics"] == "Electronic evidence"
    assert row["Shared terms"] == "chain of custody; digital forensics"
    assert "Need: passage" in table.columns and "Offer: passage" in table.columns


def test_the_command_line_prints_and_writes_the_matches(match_db, tmp_path) -> None:
    import io

    from openpyxl import load_workbook

    from ieg_analysis.cli import main

    out, target = io.StringIO(), tmp_path / "matches.xlsx"
    code = main(["--db", str(match_db.path), "match", "--output", str(target)], out=out)
    assert code == 0
    text = out.getvalue()
    assert "2 need passages of 2 States: 1 with an offer, 1 nobody offers to meet" in text
    book = load_workbook(target)
    assert book.sheetnames == ["provenance", "matches"]
    about = dict(book["provenance"].values)
    assert about["database"] == match_db.path.name  # not the folders it lives in
    rows = list(book["matches"].values)
    assert rows[1][rows[0].index("Who offers")] == "France"
    assert main(["--db", str(match_db.path), "match", "--meeting", "99"], out=out) == 2


@pytest.mark.parametrize("filters", [Filters(), Filters(meetings=(4,))])
def test_matches_from_passage_fact_equal_those_from_the_live_view(
    match_db, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    from ieg_analysis.analytics import matching
    from ieg_analysis.store.facts import FACT_TABLE, LIVE_VIEW, passage_source

    assert passage_source(match_db) == FACT_TABLE  # the writer keeps it current

    def answers() -> tuple:
        return (
            need_offer_matches(match_db, filters),
            match_links(match_db, filters),
            unmet_needs(match_db, filters),
            matching_totals(match_db, filters),
        )

    monkeypatch.setattr(matching, "matches_current", lambda _db: False)  # from the passages
    fact = answers()
    monkeypatch.setattr(matching, "passage_source", lambda _db: LIVE_VIEW)
    live = answers()
    assert not live[0].empty
    for got, want in zip(fact[:3], live[:3], strict=True):
        pd.testing.assert_frame_equal(got, want)
    assert fact[3] == live[3]


@pytest.mark.parametrize("command", ["match", "tracker"])
def test_an_unknown_region_is_refused_not_an_empty_result(match_db, command, capsys) -> None:
    import io

    from ieg_analysis.cli import main

    args = ["--db", str(match_db.path), command, "--region", "Atlantis"]
    assert main(args, out=io.StringIO()) == 2
    assert capsys.readouterr().err == "'Atlantis' is not a known region.\n"
    known = ["--db", str(match_db.path), command, "--region", "African"]
    assert main(known, out=io.StringIO()) == 0
