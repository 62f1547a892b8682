"""Ingestion end to end on small files the tests make: what is stored, what is refused,
and that a refused file leaves nothing behind."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ieg_analysis.errors import ManifestError
from ieg_analysis.ingest import pipeline
from ieg_analysis.ingest.pipeline import IngestRequest, ingest, read_manifest, validate
from tests.factories import SUBMISSION_PARAGRAPHS, make_blank_pdf, make_docx, make_pdf


def _request(name: str, data: bytes, **overrides) -> IngestRequest:
    values = {
        "meeting": 4,
        "submitter": "Ghana",
        "kind": "written_submission",
        "received": "2018-03-01",
    }
    values.update(overrides)
    return IngestRequest(name=name, data=data, **values)


def _counts(db) -> tuple[int, int]:
    return (
        int(db.scalar("select count(*) from document")),
        int(db.scalar("select count(*) from passage")),
    )


def test_pdf_is_stored_whole_with_provenance(db, settings) -> None:
    pdf = make_pdf(
        [SUBMISSION_PARAGRAPHS[:3], SUBMISSION_PARAGRAPHS[3:]], header="UNODC/CCPCJ/EG.4/2018/CRP.1"
    )
    report = ingest(db, [_request("ghana.pdf", pdf)], settings=settings)
    assert report.exit_code == 0, report.outcomes
    passages = db.query("select * from passage order by seq")
    assert list(passages["para_number"]) == ["1", "2", "3"]
    assert passages["heading"].iloc[0] == "II. Legislation and frameworks"
    assert passages["heading"].iloc[2] == "III. Capacity-building and technical assistance"
    assert list(passages["page"]) == [1, 1, 2]
    assert not passages["text"].str.contains("CRP.1|Page 1").any()
    document = db.query(
        "select d.*, a.name, a.actor_type, a.country_iso3 from document d "
        "join actor a on a.id = d.actor_id"
    ).iloc[0]
    assert (document["name"], document["actor_type"], document["country_iso3"]) == (
        "Ghana",
        "member_state",
        "GHA",
    )
    assert document["source_format"] == "pdf" and document["n_pages"] == 2
    assert document["language"] == "en"


def test_docx_and_text_and_csv_are_read(db, settings) -> None:
    docx = make_docx(
        [
            ("title", "Written submission"),
            ("heading", "Criminalization"),
            ("para", "1. Le Code pénal incrimine l'accès illégal aux systèmes."),
            ("para", "2. La loi de 2019 a renforcé les peines."),
        ]
    )
    text = "# Prevention\n\n1. Awareness campaigns reached 40,000 pupils in 2019.\n"
    csv_data = "heading,text\nPrevention,Schools teach online safety.\n"
    report = ingest(
        db,
        [
            _request("france.docx", docx, submitter="FRA"),
            _request("note.md", text.encode(), submitter="Chile"),
            _request("rows.csv", csv_data.encode(), submitter="Chile"),
        ],
        settings=settings,
    )
    assert report.count("stored") == 3, report.outcomes
    langs = db.query(
        "select p.language from passage p join document d on d.id = p.document_id "
        "where d.source_name = 'france.docx'"
    )["language"]
    assert set(langs) == {"fr"}
    heading = db.scalar("select heading from passage where text like 'Awareness%'")
    assert heading == "Prevention"


def test_reingesting_the_same_file_is_a_no_op_that_says_so(db, settings) -> None:
    pdf = make_pdf([SUBMISSION_PARAGRAPHS])
    first = ingest(db, [_request("a.pdf", pdf)], settings=settings)
    before = _counts(db)
    second = ingest(
        db, [_request("copy-of-a.pdf", pdf), _request("again.pdf", pdf)], settings=settings
    )
    assert first.count("stored") == 1
    assert second.count("skipped") == 2 and second.exit_code == 0
    assert "already stored" in second.outcomes[0].message
    assert _counts(db) == before


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    return make_pdf([["Secret text of a submission."]], password="pw")


BAD_INPUTS = [
    ("empty.pdf", b"", {}, "empty"),
    ("corrupt.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage\n%%EOF", {}, "damaged"),
    ("truncated.pdf", None, {"truncate": True}, "damaged"),
    ("encrypted.pdf", None, {"encrypted": True}, "password"),
    ("scanned.pdf", None, {"scanned": True}, "OCR"),
    ("notes.xlsx", b"PK\x03\x04xx", {}, "not supported"),
    ("latin1.txt", "Déclaration de la délégation".encode("latin-1"), {}, "not UTF-8"),
    ("missing.csv", b"heading,body\nX,Some text\n", {}, "missing column text"),
    ("bad.json", b'[{"text": 1,}', {}, "malformed"),
    ("lies.pdf", b"Just some text pretending to be a PDF.", {}, "not a PDF"),
    ("lies.docx", b"%PDF-1.4 not a word file", {}, "not a Word file"),
    ("bomb.docx", None, {"bomb": True}, "zip bomb"),
    ("binary.txt", b"\x00\x01\x02\x03binary junk", {}, "binary"),
    ("unknown-state.txt", b"1. Some text.", {"submitter": "Atlantis"}, "neither a known State"),
    ("bad-meeting.txt", b"1. Some text.", {"meeting": 12}, "Meeting '12' does not exist"),
    ("bad-kind.txt", b"1. Some text.", {"kind": "novel"}, "not a document kind"),
    ("bad-date.txt", b"1. Some text.", {"received": "yesterday"}, "YYYY-MM-DD"),
    (
        "future-date.txt",
        b"1. Some text.",
        {"received": "2999-01-01"},
        "2999-01-01 is in the future",
    ),
    ("future-day.txt", b"1. Some text.", {"received": date(2999, 1, 1)}, "is in the future"),
    ("too-big.txt", b"a" * (3 * 1024 * 1024), {}, "over the 2 MB limit"),
    (
        "foo-comment.csv",
        b"recommendation,text\nfoo,We agree.\n",
        {"kind": "comment", "meeting": 7},
        "row 2: recommendation 'foo' should be MEETING.NUMBER",
    ),
    ("old-date.txt", b"1. Some text.", {"received": "1900-01-01"}, "1900-01-01 is before 2010"),
    ("old-day.txt", b"1. Some text.", {"received": date(2009, 12, 31)}, "is before 2010"),
    (
        "alien-comment.csv",
        b"recommendation,submitter,actor_type,text\n4.1,Example Cloud Ltd,alien,We agree.\n",
        {"kind": "comment", "meeting": 7},
        "row 2: 'alien' is not an observer type",
    ),
    (
        "negative-number.csv",
        b"number,topic,text\n-5,prevention,States should act.\n",
        {"kind": "recommendation_list"},
        "number -5 is out of range",
    ),
    ("list-text.json", b'[{"text": ["We", "agree."]}]', {}, "item 1: text is a list, not a string"),
    ("number-text.json", b'[{"text": 5}]', {}, "item 1: text is a number, not a string"),
    (
        "object-heading.json",
        b'[{"heading": {"a": 1}, "text": "Schools teach safety."}]',
        {},
        "item 1: heading is an object, not a string",
    ),
    (
        "list-number.json",
        b'[{"number": [1], "topic": "prevention", "text": "States should act."}]',
        {"kind": "recommendation_list"},
        "item 1: number is a list, not a string",
    ),
    (
        "second-item.json",
        b'[{"number": 1, "topic": "prevention", "text": "A."}, {"number": 2, "topic": "x", '
        b'"text": "B."}]',
        {"kind": "recommendation_list"},
        "item 2: 'x' is not a work-plan topic",
    ),
    (
        "fraction-number.json",
        b'[{"number": 12.5, "topic": "prevention", "text": "States should act."}]',
        {"kind": "recommendation_list"},
        "item 1: number 12.5 is not a whole number.",
    ),
    (
        "number-reference.json",
        b'[{"number": 1, "topic": "prevention", "text": "A.", "status": "merged", '
        b'"merged_into": 4.10}]',
        {"kind": "recommendation_list"},
        'item 1: merged_into is the number 4.1; write it as text, e.g. "4.10"',
    ),
    (
        "fraction-number.csv",
        b"number,topic,text\n12.5,prevention,States should act.\n",
        {"kind": "recommendation_list"},
        "row 2: number 12.5 is not a whole number.",
    ),
    (
        "null-recommendation.json",
        b'[{"recommendation": null, "text": "We agree."}]',
        {"kind": "comment", "meeting": 7},
        "item 1: the recommendation is missing",
    ),
    (
        "huge-number.csv",
        b"number,topic,text\n99999999999999999999,criminalization,States should act.\n",
        {"kind": "recommendation_list"},
        "number 99999999999999999999 is out of range",
    ),
    (
        "huge-merged-into.csv",
        b"number,topic,text,status,merged_into\n1,prevention,A.,merged,4.99999999999\n",
        {"kind": "recommendation_list"},
        "merged_into 99999999999 is out of range",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "options", "expected"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_is_refused_with_one_clear_sentence(
    db, settings, name, data, options, expected
) -> None:
    if options.pop("truncate", False):
        data = make_pdf([SUBMISSION_PARAGRAPHS])[:400]
    if options.pop("encrypted", False):
        data = _encrypted_pdf()
    if options.pop("scanned", False):
        data = make_blank_pdf(2)
    if options.pop("bomb", False):
        data = _zip_bomb()
    good = _request("good.txt", b"1. Awareness campaigns reached many schools.")
    report = ingest(db, [_request(name, data, **options), good], settings=settings)
    refused, stored = report.outcomes
    assert refused.status == "refused", refused
    assert expected in refused.message
    assert "\n" not in refused.message and "Traceback" not in refused.message
    assert stored.status == "stored"  # the rest of the batch is unaffected
    assert report.exit_code == 2
    assert _counts(db) == (1, 1)  # nothing of the refused file


def test_recommendation_list_from_headings_and_numbered_items(db, settings) -> None:
    docx = make_docx(
        [
            ("title", "Preliminary conclusions and recommendations"),
            ("heading", "I. Legislation and frameworks"),
            ("para", "1. Member States should review their legislation regularly."),
            ("heading", "II. Criminalization"),
            ("para", "2. Member States should criminalize ransomware attacks."),
            ("para", "3. States should consider corporate liability."),
        ]
    )
    report = ingest(
        db,
        [
            _request(
                "recs.docx",
                docx,
                kind="recommendation_list",
                submitter="UNODC Secretariat",
                actor_type="unodc",
            )
        ],
        settings=settings,
    )
    assert report.exit_code == 0, report.outcomes
    recs = db.query("select number, topic_id, status from recommendation order by number")
    assert list(recs["topic_id"]) == [
        "legislation_frameworks",
        "criminalization",
        "criminalization",
    ]
    assert set(recs["status"]) == {"preliminary"}


def test_outcome_json_updates_status_and_merges(db, settings) -> None:
    rows = [
        {"meeting": 4, "number": 1, "topic": "prevention", "text": "A.", "status": "adopted"},
        {
            "meeting": 4,
            "number": 2,
            "topic": "Prevention",
            "text": "B.",
            "status": "merged",
            "merged_into": "4.1",
        },
    ]
    payload = json.dumps({"recommendations": rows}).encode()
    report = ingest(
        db,
        [
            _request(
                "outcome.json",
                payload,
                kind="recommendation_list",
                meeting=7,
                submitter="UNODC Secretariat",
                actor_type="unodc",
            )
        ],
        settings=settings,
    )
    assert report.exit_code == 0, report.outcomes
    merged = db.query(
        "select r.number, t.number as target from recommendation r "
        "join recommendation t on t.id = r.merged_into_id"
    )
    assert merged.to_dict("records") == [{"number": 2, "target": 1}]
    # a merge into a recommendation that does not exist is refused whole
    bad = json.dumps(
        [
            {
                "meeting": 4,
                "number": 3,
                "topic": "prevention",
                "text": "C.",
                "status": "merged",
                "merged_into": "4.99",
            }
        ]
    ).encode()
    report = ingest(
        db,
        [
            _request(
                "bad.json",
                bad,
                kind="recommendation_list",
                meeting=7,
                submitter="UNODC Secretariat",
                actor_type="unodc",
            )
        ],
        settings=settings,
    )
    assert report.exit_code == 2 and "4.99" in report.outcomes[0].message
    assert int(db.scalar("select count(*) from recommendation")) == 2


def test_comments_need_an_existing_recommendation(db, settings) -> None:
    recs = b"number,topic,text\n1,prevention,Member States should raise awareness.\n"
    ingest(db, [_request("r.csv", recs, kind="recommendation_list")], settings=settings)
    comments = (
        b"recommendation,submitter,text\n4.1,Chile,We support it.\n"
        b"4.1,Example Cloud Ltd,We agree.\n"
    )
    report = ingest(db, [_request("c.csv", comments, kind="comment", meeting=7)], settings=settings)
    assert report.exit_code == 2  # the company is not registered and has no actor_type
    assert "neither a known State nor a registered observer" in report.outcomes[0].message
    assert int(db.scalar("select count(*) from recommendation_comment")) == 0
    comments = (
        b"recommendation,submitter,actor_type,text\n4.1,Chile,,We support it.\n"
        b"4.1,Example Cloud Ltd,private_sector,We agree.\n"
    )
    report = ingest(
        db, [_request("c2.csv", comments, kind="comment", meeting=7)], settings=settings
    )
    assert report.exit_code == 0, report.outcomes
    assert int(db.scalar("select count(*) from recommendation_comment")) == 2
    # in JSON a whole number is NUMBER alone (of the row's meeting); only 4.10 is ambiguous
    whole = b'[{"recommendation": 1, "meeting": 4, "submitter": "Chile", "text": "Agreed."}]'
    report = ingest(db, [_request("c3.json", whole, kind="comment", meeting=7)], settings=settings)
    assert report.exit_code == 0, report.outcomes
    assert int(db.scalar("select count(*) from recommendation_comment")) == 3


def test_manifest_batch(tmp_path: Path, db, settings) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.pdf").write_bytes(make_pdf([SUBMISSION_PARAGRAPHS]))
    (tmp_path / "docs" / "b.docx").write_bytes(make_docx([("para", "1. Text of Chile.")]))
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,meeting,submitter,kind,received\n"
        "docs/a.pdf,5,Türkiye,written_submission,2019-03-01\n"
        "docs/b.docx,5,Chile,statement,2019-03-27\n"
        "docs/missing.pdf,5,Chile,statement,\n",
        encoding="utf-8",
    )
    report = ingest(db, read_manifest(manifest), settings=settings)
    assert [o.status for o in report.outcomes] == ["stored", "stored", "refused"]
    assert "does not exist" in report.outcomes[2].message
    bad = tmp_path / "bad.csv"
    bad.write_text("path,meeting\nx.pdf,4\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="lacks the columns submitter, kind"):
        read_manifest(bad)


@pytest.mark.parametrize(
    ("name", "data", "options", "expected"), BAD_INPUTS[-3:], ids=[c[0] for c in BAD_INPUTS[-3:]]
)
def test_the_check_refuses_what_storing_would_refuse(
    db, settings, name, data, options, expected
) -> None:
    (outcome,) = validate(db, [_request(name, data, **options)], settings=settings)
    assert outcome.status == "refused" and expected in outcome.message


def test_a_fault_while_storing_closes_the_run(db, settings, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "_store_chunk", fail)
    with pytest.raises(RuntimeError):
        ingest(db, [_request("good.txt", b"1. Awareness campaigns.")], settings=settings)
    runs = db.query("select finished_at, documents_added, refused from ingest_run")
    assert len(runs) == 1 and runs["finished_at"].notna().all()
    assert (int(runs["documents_added"][0]), int(runs["refused"][0])) == (0, 1)
    assert _counts(db) == (0, 0)


def test_a_fault_after_a_commit_counts_and_indexes_what_was_stored(
    db, settings, monkeypatch
) -> None:
    # the plain document is committed, then the recommendation list of the same chunk fails
    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "_store_one", fail)
    recs = make_docx(
        [
            ("title", "Preliminary conclusions and recommendations"),
            ("heading", "I. Legislation and frameworks"),
            ("para", "1. Member States should review their legislation regularly."),
        ]
    )
    requests = [
        _request("good.txt", b"1. Awareness campaigns reach schools."),
        _request(
            "recs.docx",
            recs,
            kind="recommendation_list",
            submitter="UNODC Secretariat",
            actor_type="unodc",
        ),
    ]
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest(db, requests, settings=settings)
    assert _counts(db) == (1, 1)
    runs = db.query("select finished_at, documents_added, passages_added, refused from ingest_run")
    assert runs["finished_at"].notna().all()
    counts = runs[["documents_added", "passages_added", "refused"]].iloc[0].astype(int)
    assert tuple(counts) == (1, 1, 1)
    found = db.scalar(
        "select count(*) from passage where fts_main_passage.match_bm25(id, 'awareness') "
        "is not null"
    )
    assert found == 1  # the stored document can be found by search


@pytest.mark.parametrize("number", ["3", "3.0"])
def test_a_number_in_a_json_number_column_is_read(db, settings, number) -> None:
    rows = b'[{"meeting": 4.0, "number": %s, "topic": "prevention", "text": "States act."}]'
    rows %= number.encode()
    report = ingest(db, [_request("r.json", rows, kind="recommendation_list")], settings=settings)
    assert report.exit_code == 0, report.outcomes
    assert db.query("select meeting, number from recommendation").values.tolist() == [[4, 3]]


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("0", False), ("", False)])
def test_manifest_is_sample_flag(tmp_path: Path, value: str, expected: bool) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        f"path,meeting,submitter,kind,is_sample\na.txt,5,Chile,statement,{value}\n",
        encoding="utf-8",
    )
    assert read_manifest(manifest)[0].is_sample is expected


def test_manifest_is_sample_must_be_true_or_false(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,meeting,submitter,kind,is_sample\na.txt,5,Chile,statement,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ManifestError, match="Row 2 of the manifest manifest.csv has is_sample 'maybe'"
    ):
        read_manifest(manifest)
