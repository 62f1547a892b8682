"""Recommendation coverage on a tiny database built through the real ingest pipeline,
labelled by the keyword stand-in (``fake_classify``) plus explicit vocabulary terms."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.analytics.recommendations import (
    coverage,
    gap_passages,
    least_covered_topic,
    model_status,
    outcomes_by_topic,
    recommendation_comments,
    recommendation_table,
    subtheme_gaps,
)
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.factories import fake_classify

VERSION = "test-1"
RECOMMENDATIONS = [
    (1, "legislation_frameworks", "Member States should review their cybercrime legislation."),
    # the keyword model reads this as international cooperation: a disagreement
    (2, "legislation_frameworks", "States should use mutual legal assistance and extradition."),
    (3, "prevention", "States should raise awareness in schools."),
    (4, "criminalization", "States should criminalize ransomware."),
]
OUTCOME = {1: ("adopted", None), 2: ("merged", "4.1"), 3: ("withdrawn", None)}
PASSAGES = {  # submitter -> passages (keyword labels in the comment)
    "Ghana": [
        "Our law on cybercrime was amended.",  # legislation
        "Police investigators need forensic tools.",  # law enforcement
        "Police investigation units were created.",  # law enforcement
        "Schools teach awareness to children.",  # prevention
        "Awareness campaigns reach older people.",  # prevention
    ],
    "Chile": [
        "Police forensic laboratories were built.",  # law enforcement
        "Awareness campaigns reach schools.",  # prevention
    ],
}
# text -> vocabulary terms the matcher would find (set explicitly: no model in unit tests)
PASSAGE_TERMS = {
    "Police investigators need forensic tools.": ["digital_forensics"],
    "Police forensic laboratories were built.": ["digital_forensics"],
    "Schools teach awareness to children.": ["education_in_schools", "cybercrime_legislation"],
    "Awareness campaigns reach older people.": [
        "awareness_campaign",
        "victim_support",
        "cybercrime_legislation",
    ],
    "Awareness campaigns reach schools.": ["awareness_campaign", "education_in_schools"],
}
RECOMMENDATION_TERMS = {3: ["education_in_schools"], 1: ["cybercrime_legislation"]}


def _request(name: str, data: bytes, **values) -> IngestRequest:
    values.setdefault("meeting", 4)
    values.setdefault("received", "2018-03-01")
    return IngestRequest(name=name, data=data, **values)


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode()


def _store_terms(db: Database) -> None:
    """Re-store the stand-in's labels with explicit term matches, through the writer."""
    terms = pd.DataFrame(
        [
            {
                "id": "digital_forensics",
                "topic_id": "law_enforcement",
                "label": "digital forensics",
            },
            {"id": "awareness_campaign", "topic_id": "prevention", "label": "awareness campaign"},
            {"id": "education_in_schools", "topic_id": "prevention", "label": "schools"},
            {"id": "victim_support", "topic_id": "prevention", "label": "victim support"},
            {
                "id": "cybercrime_legislation",
                "topic_id": "legislation_frameworks",
                "label": "cybercrime legislation",
            },
        ]
    )
    passages = db.query("select id, text from passage")
    passage_terms = pd.DataFrame(
        [
            {"source_id": pid, "term_id": term, "start_char": None, "end_char": None}
            for pid, text in passages.itertuples(index=False)
            for term in PASSAGE_TERMS.get(text, [])
        ]
    )
    recs = db.query("select id, number from recommendation")
    rec_terms = pd.DataFrame(
        [
            {"source_id": rid, "term_id": term, "start_char": None, "end_char": None}
            for rid, number in recs.itertuples(index=False)
            for term in RECOMMENDATION_TERMS.get(number, [])
        ]
    )
    with Writer(db) as writer:
        writer.sync_terms(terms)
        for source, frame in (("passage", passage_terms), ("recommendation", rec_terms)):
            scores = writer.con.execute(
                f"select * from {source}_classification where model_version = ?",  # noqa: S608
                [VERSION],
            ).df()
            writer.store_classifications(source, VERSION, scores, frame)


@pytest.fixture
def rec_db(db: Database, settings) -> Database:
    unodc = {"submitter": "UNODC Secretariat", "actor_type": "unodc", "kind": "recommendation_list"}
    requests = [
        _request(
            "recs.csv",
            _csv([{"number": n, "topic": t, "text": x} for n, t, x in RECOMMENDATIONS]),
            **unodc,
        ),
        *[
            _request(
                f"{state}.csv",
                _csv([{"text": text} for text in texts]),
                submitter=state,
                kind="written_submission",
            )
            for state, texts in PASSAGES.items()
        ],
    ]
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    outcome = [
        {
            "meeting": 4,
            "number": n,
            "topic": t,
            "text": x,
            "status": OUTCOME[n][0],
            **({"merged_into": OUTCOME[n][1]} if OUTCOME[n][1] else {}),
        }
        for n, t, x in RECOMMENDATIONS
        if n in OUTCOME
    ]
    comments = b"recommendation,submitter,text\n4.1,Chile,We support it.\n"
    report = ingest(
        db,
        [
            _request("outcome.json", json.dumps(outcome).encode(), **{**unodc, "meeting": 7}),
            _request("comments.csv", comments, meeting=7, submitter="Chile", kind="comment"),
        ],
        settings=settings,
    )
    assert report.exit_code == 0, report.outcomes
    fake_classify(db, version=VERSION)
    _store_terms(db)
    return db


def test_model_status_counts_what_the_current_version_made(rec_db) -> None:
    status = model_status(rec_db)
    assert status.version == VERSION
    assert status.recommendations_classified == 4
    assert status.passage_terms == 9 and status.recommendation_terms == 2
    assert status.has_terms


def test_outcomes_count_each_status_per_listed_topic(rec_db) -> None:
    frame = outcomes_by_topic(rec_db)
    got = {(r.topic_id, r.meeting, r.outcome): r.recommendations for r in frame.itertuples()}
    assert got == {
        ("legislation_frameworks", 4, "Adopted"): 1,
        ("legislation_frameworks", 4, "Merged"): 1,
        ("criminalization", 4, "Pending"): 1,  # still preliminary
        ("prevention", 4, "Withdrawn"): 1,
    }
    assert not frame.duplicated(["topic_id", "meeting", "status"]).any()
    assert outcomes_by_topic(rec_db, meetings=(5,)).empty
    only = outcomes_by_topic(rec_db, topics=("prevention",))
    assert only["recommendations"].sum() == 1


def test_coverage_ratio_is_recommendation_share_over_passage_share(rec_db) -> None:
    frame = coverage(rec_db, Filters()).set_index("topic_id")
    assert len(frame) == 6 and frame.index.is_unique
    # recommendations: legislation 2, prevention 1, criminalization 1 (of 4)
    assert frame["recommendations"].to_dict() == {
        "legislation_frameworks": 2,
        "criminalization": 1,
        "law_enforcement": 0,
        "electronic_evidence": 0,
        "international_cooperation": 0,
        "prevention": 1,
    }
    # topic labels on submission passages: legislation 1, law enforcement 3, prevention 3
    assert frame.loc["law_enforcement", "passages"] == 3
    assert frame["passage_share"].sum() == pytest.approx(1.0)
    assert frame["recommendation_share"].sum() == pytest.approx(1.0)
    assert frame.loc["legislation_frameworks", "coverage_ratio"] == pytest.approx(0.5 / (1 / 7))
    assert frame.loc["prevention", "coverage_ratio"] == pytest.approx(0.25 / (3 / 7))
    assert frame.loc["law_enforcement", "coverage_ratio"] == 0
    assert pd.isna(frame.loc["criminalization", "coverage_ratio"])  # never raised
    assert frame.loc["law_enforcement", "expected_recommendations"] == pytest.approx(4 * 3 / 7)
    assert list(frame.index[frame["thin"]]) == ["law_enforcement", "prevention"]
    # recommendation lists and comments as CSV hold no passages
    assert frame["passages_labelled"].iloc[0] == 7
    assert frame["passages_in_view"].iloc[0] == 7


def test_coverage_filters_narrow_the_passages_and_statuses_the_recommendations(rec_db) -> None:
    chile = coverage(rec_db, Filters(states=("CHL",), topics=("prevention",))).set_index("topic_id")
    assert chile.loc["law_enforcement", "passages"] == 1
    assert chile.loc["prevention", "passage_share"] == pytest.approx(0.5)
    assert chile["recommendations"].sum() == 4  # recommendations belong to no State
    standing = coverage(rec_db, Filters(), statuses=("adopted", "preliminary"))
    assert standing.set_index("topic_id")["recommendations"].sum() == 2
    nothing = coverage(rec_db, Filters(meetings=(5,)))
    assert nothing.set_index("topic_id")["on_agenda"].to_dict()["law_enforcement"]
    assert not nothing.set_index("topic_id")["on_agenda"].to_dict()["prevention"]
    assert nothing["passages_in_view"].iloc[0] == 0
    assert nothing["coverage_ratio"].isna().all()


def test_the_least_covered_topic_is_chosen_on_the_agenda(rec_db) -> None:
    assert least_covered_topic(coverage(rec_db, Filters())) == "law_enforcement"  # ratio 0
    cover = coverage(rec_db, Filters()).set_index("topic_id")
    cover.loc["law_enforcement", "on_agenda"] = False  # as with a meeting filter
    assert least_covered_topic(cover.reset_index()) == "prevention"  # 0.58 among the rest
    cover["on_agenda"] = False
    assert least_covered_topic(cover.reset_index()) == "law_enforcement"  # none on it: all
    assert least_covered_topic(cover.reset_index().assign(coverage_ratio=float("nan"))) is None


def test_subtheme_gaps_are_terms_frequent_in_submissions_and_rare_in_recommendations(
    rec_db,
) -> None:
    gaps = subtheme_gaps(rec_db, Filters(), "prevention")
    # awareness campaign: 2 of 3 passages, 0 of 1 recommendation. "schools" is in the
    # prevention recommendation too; victim support is in one passage only.
    assert gaps["term_id"].tolist() == ["awareness_campaign"]
    row = gaps.iloc[0]
    assert (row["passages"], row["states"], row["recommendations"]) == (2, 2, 0)
    assert row["passage_share"] == pytest.approx(2 / 3)
    assert row["coverage"] == "absent"
    wider = subtheme_gaps(rec_db, Filters(), "prevention", own_vocabulary=False)
    assert set(wider["term_id"]) == {"awareness_campaign", "cybercrime_legislation"}
    assert subtheme_gaps(rec_db, Filters(), "prevention", min_passages=1)["term_id"].tolist()[
        -1
    ] == ("victim_support")
    forensics = subtheme_gaps(rec_db, Filters(), "law_enforcement").iloc[0]
    assert forensics["term_id"] == "digital_forensics"
    assert forensics["topic_recommendations"] == 0
    assert subtheme_gaps(rec_db, Filters(states=("CHL",)), "prevention").empty  # 1 passage


def test_gap_passages_are_the_evidence(rec_db) -> None:
    passages = gap_passages(rec_db, Filters(), "prevention", "awareness_campaign")
    assert sorted(passages["text"]) == [
        "Awareness campaigns reach older people.",
        "Awareness campaigns reach schools.",
    ]
    chile = gap_passages(rec_db, Filters(states=("CHL",)), "prevention", "awareness_campaign")
    assert chile["actor_name"].tolist() == ["Chile"]
    assert len(gap_passages(rec_db, Filters(), "prevention", "awareness_campaign", limit=1)) == 1


def test_recommendation_table_flags_disagreement_and_resolves_merges(rec_db) -> None:
    table = recommendation_table(rec_db).set_index("reference")
    assert table.index.tolist() == ["4.1", "4.2", "4.3", "4.4"]
    assert table["disagreement"].to_dict() == {
        "4.1": False,
        "4.2": True,
        "4.3": False,
        "4.4": False,
    }
    assert table.loc["4.2", "model_topic_id"] == "international_cooperation"
    assert table.loc["4.2", "model_score"] == pytest.approx(0.9)
    assert table.loc["4.2", "listed_topic_score"] == pytest.approx(0.1)
    assert table.loc["4.2", "merged_into"] == "4.1"
    assert table.loc["4.4", "outcome"] == "Pending"
    assert table.loc["4.1", "comments"] == 1
    assert table["comments"].sum() == 1


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"search": "RANSOMWARE"}, ["4.4"]),
        ({"search": "4.3"}, ["4.3"]),
        ({"search": "'; drop table recommendation; --"}, []),
        ({"statuses": ("adopted", "merged")}, ["4.1", "4.2"]),
        ({"topics": ("prevention",)}, ["4.3"]),
        ({"meetings": (5,)}, []),
        ({"disagreements_only": True}, ["4.2"]),
    ],
)
def test_recommendation_table_filters(rec_db, kwargs, expected) -> None:
    assert recommendation_table(rec_db, **kwargs)["reference"].tolist() == expected


def test_recommendation_comments(rec_db) -> None:
    table = recommendation_table(rec_db, search="4.1")
    comments = recommendation_comments(rec_db, int(table["id"].iloc[0]))
    assert comments[["submitter", "text"]].values.tolist() == [["Chile", "We support it."]]


def test_unclassified_store_has_no_labels_and_no_disagreements(db, settings) -> None:
    data = _csv([{"number": 1, "topic": "prevention", "text": "Raise awareness."}])
    ingest(
        db,
        [
            _request(
                "r.csv",
                data,
                submitter="UNODC Secretariat",
                actor_type="unodc",
                kind="recommendation_list",
            )
        ],
        settings=settings,
    )
    assert not model_status(db).has_terms
    table = recommendation_table(db)
    assert not table["disagreement"].any() and table["model_topic"].isna().all()
    assert coverage(db, Filters())["passages_labelled"].iloc[0] == 0
    assert subtheme_gaps(db, Filters(), "prevention").empty
