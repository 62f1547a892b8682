"""The bundled sample, built through the real ingestion path, has what the product promises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ieg_analysis.reference import REGIONAL_GROUPS
from ieg_analysis.sample.generator import generate

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_sample_counts(sample_db) -> None:
    q = sample_db.scalar
    assert q("select count(*) from document where kind <> 'recommendation_list'") >= 300
    assert q("select count(*) from passage") >= 4000
    assert (
        q("select count(distinct actor_id) from document where kind <> 'recommendation_list'")
        >= 120
    )
    assert q("select count(*) from recommendation") >= 180
    assert q("select count(distinct topic_id) from recommendation") == 6
    assert q("select count(*) from recommendation_comment") >= 60
    assert q("select count(*) from document where not is_sample") == 0
    formats = set(sample_db.query("select distinct source_format from document")["source_format"])
    assert {"pdf", "docx", "txt", "json", "csv"} <= formats
    assert set(sample_db.query("select distinct meeting from document")["meeting"]) == {4, 5, 6, 7}
    languages = set(sample_db.query("select distinct language from passage")["language"])
    assert {"en", "fr", "es"} <= languages
    groups = set(
        sample_db.query(
            "select distinct c.regional_group from document d join actor a on a.id = d.actor_id "
            "join country c on c.iso3 = a.country_iso3 where a.actor_type = 'member_state'"
        )["regional_group"]
    )
    assert groups == set(REGIONAL_GROUPS)
    observer_types = set(
        sample_db.query(
            "select distinct a.actor_type from document d join actor a on a.id = d.actor_id"
        )["actor_type"]
    )
    assert {"organization", "private_sector", "academia", "unodc"} <= observer_types
    statuses = set(sample_db.query("select distinct status from recommendation")["status"])
    assert statuses == {"preliminary", "adopted", "merged", "withdrawn"}
    assert (
        q("select count(*) from recommendation where status = 'merged' and merged_into_id is null")
        == 0
    )


@pytest.mark.slow
def test_sample_passages_are_whole_and_clean(sample_db) -> None:
    texts = sample_db.query("select text from passage")["text"]
    assert not texts.str.contains("ILLUSTRATIVE SAMPLE|UNODC/IEG/SAMPLE").any()
    assert not texts.str.fullmatch(r"[-\d\s]+").any()  # no stray page numbers
    headings = sample_db.query("select count(*) as n from passage where heading is not null")
    assert headings["n"].item() / len(texts) > 0.9


def _sentences(text: str) -> set[str]:
    return {s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 30}


def test_sample_text_shares_no_sentence_with_the_labelled_data() -> None:
    labelled: set[str] = set()
    for path in [
        *(ROOT / "data" / "training").glob("*.jsonl"),
        *(ROOT / "data" / "evaluation").glob("heldout*.jsonl"),
    ]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                labelled |= _sentences(json.loads(line)["text"])
    sample: set[str] = set()
    for document in generate().documents:
        for section in document.sections:
            for paragraph in section.paragraphs:
                sample |= _sentences(paragraph)
    assert labelled and sample
    assert not sample & labelled
