"""The evidence behind recommendations on a hand-built database: documents through the real
ingest pipeline (which builds the BM25 index), then explicit topic labels and vocabulary
terms through the writer, so every expected rank follows from the rows written here."""

from __future__ import annotations

import pandas as pd
import pytest

from ieg_analysis.analytics.evidence import (
    NO_REGION,
    TERM_WEIGHT,
    NoSearchIndexError,
    recommendation_evidence,
    region_shares,
    representation,
)
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.records import TOPIC_IDS
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer

VERSION = "evidence-1"
EE, PREV = "electronic_evidence", "prevention"
COC, AW = "chain_of_custody", "awareness_campaign"
RECOMMENDATIONS = [  # number, listed topic, text, terms
    (1, EE, "Train prosecutors on electronic evidence and the chain of custody.", [COC]),
    (2, PREV, "Run awareness campaigns in schools.", [AW]),
]
# submitter, actor type, kind, meeting, text, topic labels, terms
PASSAGES = [
    (
        "Ghana",
        None,
        "written_submission",
        4,
        "Ghana trains prosecutors on electronic evidence and the chain of custody.",
        [EE],
        [COC],
    ),  # noqa: E501
    (
        "Nigeria",
        None,
        "written_submission",
        5,
        "Nigeria trains judges on electronic evidence.",
        [EE],
        [],
    ),  # noqa: E501
    ("France", None, "written_submission", 5, "France keeps seized devices sealed.", [EE], [COC]),  # noqa: E501 - no word in common, one term
    (
        "Germany",
        None,
        "written_submission",
        4,
        "Germany supports cooperation with service providers.",
        [EE],
        [],
    ),  # noqa: E501 - no word, no term: never evidence
    (
        "Chile",
        None,
        "written_submission",
        6,
        "Chile trains prosecutors on electronic evidence and the chain of custody every year.",
        [EE],
        [COC],
    ),  # noqa: E501 - after the recommendations' meeting
    (
        "UNODC Global Programme on Cybercrime",
        "unodc",
        "written_submission",
        5,
        "UNODC trains prosecutors on electronic evidence.",
        [EE],
        [],
    ),  # noqa: E501
    ("Brazil", None, "statement", 5, "Brazil runs awareness campaigns in schools.", [PREV], [AW]),  # noqa: E501
]


def _scores(key: str, source_id: int, labels: list[str]) -> dict:
    return {
        key: source_id,
        "model_version": VERSION,
        "classified": True,
        "reason": None,
        **{t: (0.9 if t in labels else 0.05) for t in TOPIC_IDS},
        "topic": labels[0] if labels else None,
        "topic_labels": labels,
        "need": 0.1,
        "provision": 0.1,
        "none": 0.8,
        "capacity_label": "none",
    }


def _terms(pairs: list[tuple[int, str]]) -> pd.DataFrame:
    rows = [{"source_id": i, "term_id": t, "start_char": None, "end_char": None} for i, t in pairs]
    return pd.DataFrame(rows, columns=["source_id", "term_id", "start_char", "end_char"])


@pytest.fixture(scope="module")
def evidence_db(tmp_path_factory) -> Database:
    folder = tmp_path_factory.mktemp("evidence")
    settings = Settings(db_path=folder / "e.duckdb", model_dir=folder / "models")
    db = Database(settings.db_path)
    recs = pd.DataFrame([{"number": n, "topic": t, "text": x} for n, t, x, _ in RECOMMENDATIONS])
    requests = [
        IngestRequest(
            name="recs.csv",
            data=recs.to_csv(index=False).encode(),
            meeting=5,
            submitter="UNODC Secretariat",
            actor_type="unodc",
            kind="recommendation_list",
        ),
        *[
            IngestRequest(
                name=f"{submitter}-{meeting}.csv",
                data=pd.DataFrame({"text": [text]}).to_csv(index=False).encode(),
                meeting=meeting,
                submitter=submitter,
                actor_type=actor_type,
                kind=kind,
                received="2018-03-01",
            )
            for submitter, actor_type, kind, meeting, text, _, _ in PASSAGES
        ],
    ]
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    ids = dict(db.query("select text, id from passage").itertuples(index=False))
    rec_ids = dict(db.query("select number, id from recommendation").itertuples(index=False))
    passage_scores = pd.DataFrame(
        [_scores("passage_id", ids[text], labels) for *_, text, labels, _ in PASSAGES]
    )
    rec_scores = pd.DataFrame(
        [_scores("recommendation_id", rec_ids[n], [t]) for n, t, _, _ in RECOMMENDATIONS]
    )
    with Writer(db) as writer:
        writer.register_model(VERSION, meta="{}", evaluation=None)
        writer.store_classifications(
            "passage",
            VERSION,
            passage_scores,
            _terms([(ids[text], t) for *_, text, _, terms in PASSAGES for t in terms]),
        )
        writer.store_classifications(
            "recommendation",
            VERSION,
            rec_scores,
            _terms([(rec_ids[n], t) for n, _, _, terms in RECOMMENDATIONS for t in terms]),
        )
    return db


def _rec(db: Database, number: int) -> int:
    return int(db.scalar("select id from recommendation where number = ?", [number]))


def test_most_similar_passages_first_with_terms_adding_to_words(evidence_db) -> None:
    evidence = recommendation_evidence(evidence_db, _rec(evidence_db, 1), Filters())
    assert evidence["submitter"].tolist()[0] == "Ghana"  # most words and the shared term
    ghana = evidence.iloc[0]
    assert ghana["bm25_norm"] == pytest.approx(1.0) and ghana["term_overlap"] == 1.0
    assert ghana["similarity"] == pytest.approx(1.0 + TERM_WEIGHT)
    assert ghana["shared_terms"] == [COC]
    by_submitter = evidence.set_index("submitter")
    # four words in common rank above three
    assert (
        by_submitter.loc["UNODC Global Programme on Cybercrime", "rank"]
        < (by_submitter.loc["Nigeria", "rank"])
    )
    # no word in common, one term in common: the term's weight alone
    assert by_submitter.loc["France", "bm25_norm"] == 0.0
    assert by_submitter.loc["France", "similarity"] == pytest.approx(TERM_WEIGHT)
    # Germany shares nothing; Chile wrote after the recommendation's meeting; the
    # recommendation list itself and the prevention statement are no evidence for it
    assert set(evidence["submitter"]) == {
        "Ghana",
        "Nigeria",
        "France",
        "UNODC Global Programme on Cybercrime",
    }
    assert evidence["rank"].tolist() == [1, 2, 3, 4]
    assert evidence["similarity"].is_monotonic_decreasing


def test_top_and_filters_narrow_the_evidence(evidence_db) -> None:
    rec = _rec(evidence_db, 1)
    assert recommendation_evidence(evidence_db, rec, Filters(), top=1)["submitter"].tolist() == [
        "Ghana"
    ]
    african = recommendation_evidence(evidence_db, rec, Filters(regions=("African",)))
    assert african["submitter"].tolist() == ["Ghana", "Nigeria"]
    assert recommendation_evidence(evidence_db, rec, Filters(languages=("fr",))).empty
    statements = recommendation_evidence(evidence_db, _rec(evidence_db, 2), Filters())
    assert statements["submitter"].tolist() == ["Brazil"]  # statements are evidence too


def test_region_shares_of_the_evidence(evidence_db) -> None:
    evidence = recommendation_evidence(evidence_db, _rec(evidence_db, 1), Filters())
    shares = region_shares(evidence).set_index("region")
    assert shares["share"].to_dict() == {
        "African": 0.5,
        "UNODC": 0.25,
        "Western European and other": 0.25,
    }
    assert shares.loc["African", "states"] == 2
    assert region_shares(evidence.iloc[0:0]).empty
    assert NO_REGION not in shares.index


def test_representation_compares_evidence_with_submitting_states(evidence_db) -> None:
    frame = representation(evidence_db, Filters()).set_index(["topic_id", "region"])
    # electronic evidence: State evidence Ghana, Nigeria (African), France (WEOG); States
    # submitting on the topic up to meeting 5: Ghana, Nigeria, France, Germany
    african = frame.loc[(EE, "African")]
    weog = frame.loc[(EE, "Western European and other")]
    assert (african["evidence_passages"], african["states_submitting"]) == (2, 2)
    assert african["evidence_share"] == pytest.approx(2 / 3)
    assert african["state_share"] == pytest.approx(0.5)
    assert african["ratio"] == pytest.approx(4 / 3)
    assert weog["ratio"] == pytest.approx(2 / 3)  # France only, of France and Germany
    assert frame.loc[(PREV, "Latin American and Caribbean"), "ratio"] == pytest.approx(1.0)
    assert set(frame.index.get_level_values("region")) == {
        "African",
        "Western European and other",
        "Latin American and Caribbean",
    }  # observers have no region; Chile submitted after meeting 5
    only = representation(evidence_db, Filters(topics=(PREV,), regions=("African",)))
    assert only["topic_id"].unique().tolist() == [PREV]  # the region filter is ignored


def test_representation_of_one_topic_is_that_topic_of_all(evidence_db) -> None:
    every = representation(evidence_db, Filters())
    one = representation(evidence_db, Filters(), topic_id=EE)
    expected = every[every["topic_id"] == EE].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected)


def test_without_a_search_index_the_error_says_what_to_do(tmp_path) -> None:
    db = Database(tmp_path / "empty.duckdb")
    db.initialise()
    with pytest.raises(NoSearchIndexError, match="ingest a document"):
        recommendation_evidence(db, 1, Filters())


def test_the_command_line_prints_the_evidence(evidence_db) -> None:
    import io

    from ieg_analysis.cli import main

    out = io.StringIO()
    assert main(["--db", str(evidence_db.path), "evidence", "5.1", "--top", "2"], out=out) == 0
    assert "Ghana" in out.getvalue() and "Regions among them" in out.getvalue()
    assert main(["--db", str(evidence_db.path), "evidence", "9.9"], out=out) == 2


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("filters", [Filters(), Filters(regions=("African",))])
def test_evidence_from_the_postings_equals_evidence_from_the_index_terms(
    evidence_db, monkeypatch: pytest.MonkeyPatch, number: int, filters: Filters
) -> None:
    from ieg_analysis.analytics import evidence as module

    rec = _rec(evidence_db, number)
    assert module._postings_termids(evidence_db, rec)  # the postings are current here
    fast = recommendation_evidence(evidence_db, rec, filters, top=50)
    monkeypatch.setattr(module, "_postings_termids", lambda _db, _rec: None)
    monkeypatch.setattr(module, "passage_source", lambda _db: "v_passage_source")
    slow = recommendation_evidence(evidence_db, rec, filters, top=50)
    if number == 1 and not filters.regions:
        assert not slow.empty
    pd.testing.assert_frame_equal(fast, slow)


def test_the_command_line_names_the_score_as_the_page_does(sample_db, capsys) -> None:
    import io

    from ieg_analysis.cli import main

    out = io.StringIO()
    assert main(["--db", str(sample_db.path), "evidence", "4.1", "--top", "3"], out=out) == 0
    printed = out.getvalue()
    assert "match score (0-1.5)" in printed and "similarity" not in printed.split("\n", 1)[1]
