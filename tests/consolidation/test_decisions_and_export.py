"""Clusters of a stored database, the Secretariat's decisions on them, the draft DOCX and
the CLI, on two small recommendation lists built in code."""

from __future__ import annotations

import io

import docx
import pytest

from ieg_analysis.cli import main
from ieg_analysis.consolidation import decisions
from ieg_analysis.consolidation.service import ACCEPTED, SUGGESTED, consolidate, draft_list
from ieg_analysis.errors import InvalidValueError, NotAuthorisedError
from ieg_analysis.export.consolidated import consolidated_draft
from ieg_analysis.reference import load_reference

TOPICS = list(load_reference().topics)


def _ids(db, *refs: str) -> list[int]:
    recs = db.query("select id, meeting || '.' || number as ref from recommendation")
    lookup = dict(zip(recs["ref"], recs["id"], strict=True))
    return [int(lookup[r]) for r in refs]


def _groups(result) -> list[set[str]]:
    return [set(result.members_of(c)["reference"]) for c in result.clusters["cluster"]]


def test_near_duplicates_across_meetings_and_topics_are_grouped(rec_db) -> None:
    result = consolidate(rec_db, 0.4)
    assert result.recommendations == 5
    assert sorted(map(sorted, _groups(result))) == [["4.1", "5.1"], ["4.2", "5.2"]]
    assert result.singletons == 1
    first = result.clusters.iloc[0]
    assert first["meetings"] == "4, 5" and first["state"] == SUGGESTED
    assert first["n_topics"] == 2  # listed under different topics at the two meetings
    assert 0.4 <= first["min_similarity"] <= first["mean_similarity"] <= 1.0
    assert len(result.pairs) == 2


def test_accept_merges_the_others_into_the_representative_and_is_audited(rec_db) -> None:
    a41, a51 = _ids(rec_db, "4.1", "5.1")
    decisions.accept(rec_db, [a41, a51], a51, user="alice", threshold=0.4)
    rows = rec_db.query("select id, status, merged_into_id from recommendation order by id")
    merged = rows.set_index("id")
    assert merged.at[a41, "status"] == "merged" and merged.at[a41, "merged_into_id"] == a51
    assert merged.at[a51, "status"] == "preliminary"
    result = consolidate(rec_db, 0.4)
    cluster = result.clusters[result.clusters["representative_id"] == a51].iloc[0]
    assert cluster["state"] == ACCEPTED and cluster["decided_by"] == "alice"
    audit = rec_db.query(
        "select user_name, action from audit_log where action like 'consolidation%'"
    )
    assert audit.values.tolist() == [["alice", "consolidation_accept"]]
    # an accepted group stays together even at a threshold that would part it
    assert {"4.1", "5.1"} in _groups(consolidate(rec_db, 0.95))


def test_split_takes_a_member_out_and_restores_its_status(rec_db) -> None:
    a41, a51 = _ids(rec_db, "4.1", "5.1")
    decisions.accept(rec_db, [a41, a51], a51, user="alice")
    decisions.split(rec_db, [a41, a51], a41, user="bob")
    status = rec_db.query("select status, merged_into_id from recommendation where id = ?", [a41])
    assert status.iloc[0]["status"] == "preliminary"
    assert status.iloc[0]["merged_into_id"] is None or status.isna().iloc[0]["merged_into_id"]
    assert {"4.1", "5.1"} not in _groups(consolidate(rec_db, 0.1))


def test_merge_joins_two_groups(rec_db) -> None:
    a41, a51, a42, a52 = _ids(rec_db, "4.1", "5.1", "4.2", "5.2")
    decisions.merge(rec_db, [a41, a51], [a42, a52], user="alice")
    assert {"4.1", "5.1", "4.2", "5.2"} in _groups(consolidate(rec_db, 0.4))
    result = consolidate(rec_db, 0.4)
    assert result.decisions.iloc[0]["action"] == "merge"


def test_writes_need_a_user_and_known_recommendations(rec_db) -> None:
    a41, a51 = _ids(rec_db, "4.1", "5.1")
    with pytest.raises(NotAuthorisedError):
        decisions.accept(rec_db, [a41, a51], a51, user="")
    with pytest.raises(InvalidValueError):
        decisions.accept(rec_db, [a41, 9999], a41, user="alice")
    with pytest.raises(InvalidValueError):
        decisions.accept(rec_db, [a41, a51], 9999, user="alice")
    assert rec_db.query("select count(*) as n from consolidation_decision").iloc[0]["n"] == 0


def test_the_draft_docx_reads_back_grouped_by_topic_with_its_sources(rec_db) -> None:
    draft = draft_list(consolidate(rec_db, 0.4), TOPICS)
    assert len(draft) == 3
    data, count = consolidated_draft(rec_db, 0.4)
    assert count == 3
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == sorted(
        headings, key=lambda h: [load_reference().topics[t].label for t in TOPICS].index(h)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "merges 4.1" in text or "merges 5.1" in text
    assert "Source: 4.3" in text
    assert "Illustrative sample data" not in text  # not the sample


def test_cli_prints_clusters_and_writes_the_docx(rec_db, tmp_path, capsys) -> None:
    output = tmp_path / "draft.docx"
    out = io.StringIO()
    code = main(["--db", str(rec_db.path), "consolidate", "--output", str(output)], out=out)
    assert code == 0
    printed = out.getvalue()
    assert "2 clusters of 4 recommendations, 1 standing alone" in printed
    assert "Cluster 1" in printed and output.is_file()
    docx.Document(str(output))
    assert main(["consolidate", "--threshold", "2"], out=io.StringIO()) == 2


def test_cli_evaluate_reports_precision_and_recall() -> None:
    out = io.StringIO()
    assert main(["consolidate", "--evaluate"], out=out) == 0
    assert "Test half" in out.getvalue() and "precision" in out.getvalue()
