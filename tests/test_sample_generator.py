"""Tests of the illustrative sample-corpus generator (ieg_analysis.sample.generator)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest

from ieg_analysis.sample import generator
from ieg_analysis.sample.generator import Corpus, Document

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý(«¿¡\"])")
NUMBERING = re.compile(r"^(?:\d+\.|\([a-z]\))\s+")
TOPICS = set(generator.TOPICS)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return generator.generate()


def _paragraphs(document: Document) -> list[str]:
    return [p for section in document.sections for p in section.paragraphs]


def _sentences(corpus: Corpus) -> Counter[str]:
    counts: Counter[str] = Counter()
    for document in corpus.documents:
        for paragraph in _paragraphs(document):
            counts.update(SENTENCE_SPLIT.split(NUMBERING.sub("", paragraph)))
    return counts


def test_same_seed_gives_same_corpus(corpus: Corpus) -> None:
    assert generator.generate() == corpus


def test_other_seed_gives_other_corpus(corpus: Corpus) -> None:
    other = generator.generate(seed=7)
    assert other.documents != corpus.documents


def test_iter_documents_matches_generate(corpus: Corpus) -> None:
    assert tuple(generator.iter_documents()) == corpus.documents


def test_actors_cover_states_and_observers(corpus: Corpus) -> None:
    countries = {row["iso3"]: row for row in generator._countries()}
    observers = {actor.name: actor for actor in generator.load_actors()}
    submitters = {d.submitter for d in corpus.documents}
    states = {s for s in submitters if s in countries}
    assert submitters <= set(countries) | set(observers)
    assert len(submitters) >= 120
    assert len(states) >= 110
    assert len({countries[s]["regional_group"] for s in states}) == 5
    assert len(submitters & set(observers)) >= 10


def test_actor_file_has_every_observer_type() -> None:
    types = {actor.actor_type for actor in generator.load_actors()}
    assert types == {"organization", "private_sector", "academia", "unodc"}


def test_document_and_paragraph_counts(corpus: Corpus) -> None:
    documents = corpus.documents
    assert len(documents) >= 320
    assert sum(len(_paragraphs(d)) for d in documents) >= 4300
    assert {d.meeting for d in documents} == {4, 5, 6, 7}
    assert all(5 <= len(_paragraphs(d)) <= 30 for d in documents)
    assert {d.kind for d in documents} == {"written_submission", "statement", "comment"}
    assert {d.kind for d in documents if d.meeting == 7} == {
        "written_submission",
        "statement",
        "comment",
    }


def test_documents_have_headings(corpus: Corpus) -> None:
    assert all(any(s.heading for s in d.sections) for d in corpus.documents)


def test_keys_unique_and_filesystem_safe(corpus: Corpus) -> None:
    keys = [d.key for d in corpus.documents]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[A-Za-z0-9-]+", key) for key in keys)


def test_languages_and_formats(corpus: Corpus) -> None:
    total = len(corpus.documents)
    languages = Counter(d.language for d in corpus.documents)
    assert set(languages) == {"en", "fr", "es"}
    assert 0.02 <= languages["fr"] / total <= 0.09
    assert 0.02 <= languages["es"] / total <= 0.09
    formats = Counter(d.file_format for d in corpus.documents)
    expected = generator._profiles()["file_formats"]  # pdf 0.40, docx 0.35, txt 0.25
    assert set(formats) == set(expected)
    # drawn, not dealt: each share within about three standard errors of the profile's
    assert all(abs(formats[f] / total - share) < 0.08 for f, share in expected.items())


def test_recommendations(corpus: Corpus) -> None:
    recommendations = corpus.recommendations
    assert len(recommendations) >= 180
    assert {r.topic for r in recommendations} == TOPICS
    assert {r.status for r in recommendations} == {
        "preliminary",
        "adopted",
        "merged",
        "withdrawn",
    }
    assert {r.meeting for r in recommendations} == {4, 5, 6}
    ids = [(r.meeting, r.number) for r in recommendations]
    assert len(ids) == len(set(ids))
    assert len({r.text for r in recommendations}) == len(recommendations)


def test_merged_recommendations_point_at_adopted_ones(corpus: Corpus) -> None:
    by_id = {(r.meeting, r.number): r for r in corpus.recommendations}
    merged = [r for r in corpus.recommendations if r.status == "merged"]
    for recommendation in corpus.recommendations:
        assert (recommendation.merged_into is not None) == (recommendation.status == "merged")
    for recommendation in merged:
        target = by_id[recommendation.merged_into]
        assert target.status == "adopted"
        assert target.topic == recommendation.topic
    assert any(r.merged_into[0] != r.meeting for r in merged)


def test_status_shares(corpus: Corpus) -> None:
    shares = Counter(r.status for r in corpus.recommendations)
    total = len(corpus.recommendations)
    assert 0.45 <= shares["adopted"] / total <= 0.65
    assert 0.15 <= shares["merged"] / total <= 0.3


def test_comments_reference_recommendations(corpus: Corpus) -> None:
    ids = {(r.meeting, r.number) for r in corpus.recommendations}
    stocktaking = generator._meeting_dates()[7][0]
    assert len(corpus.comments) >= 60
    assert all((c.meeting, c.number) in ids for c in corpus.comments)
    assert all(c.received < stocktaking for c in corpus.comments)


def test_sentences_repeat_at_most_three_times(corpus: Corpus) -> None:
    counts = _sentences(corpus)
    worst = counts.most_common(5)
    assert worst[0][1] <= 3, worst


def test_received_dates(corpus: Corpus) -> None:
    dates = generator._meeting_dates()
    submissions = [d for d in corpus.documents if d.kind == "written_submission"]
    late = 0
    for document in corpus.documents:
        first, last = dates[document.meeting]
        assert first - timedelta(days=200) <= document.received <= last
        if document.kind == "statement":
            assert first <= document.received <= last
        if document.kind == "comment":
            assert document.received < first
    for document in submissions:
        deadline = dates[document.meeting][0] - timedelta(days=generator.DEADLINE_DAYS)
        late += document.received > deadline
    assert 0.08 <= late / len(submissions) <= 0.22
    assert all(isinstance(d.received, date) for d in corpus.documents)


def test_scale_two_doubles_documents(corpus: Corpus) -> None:
    doubled = sum(1 for _ in generator.iter_documents(scale=2.0))
    assert 1.85 <= doubled / len(corpus.documents) <= 2.15


@pytest.mark.parametrize(
    ("group", "topic", "high"),
    [
        ("African", "electronic_evidence", True),
        ("Latin American and Caribbean", "law_enforcement", True),
        ("Western European and other", "electronic_evidence", False),
    ],
)
def test_need_rates_follow_regional_profile(group: str, topic: str, high: bool) -> None:
    rate = generator._profiles()["need"][group][topic]
    assert (rate >= 0.5) is high


def test_output_does_not_depend_on_hash_seed() -> None:
    script = (
        "import hashlib; from ieg_analysis.sample import generator as g; "
        "print(hashlib.sha256(repr(g.generate()).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            cwd=generator.ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            text=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_states_name_the_organisations_and_instruments_of_their_region(corpus: Corpus) -> None:
    """A Caribbean State is not assisted by the African Union, nor a European one by the OAS,
    in any language; and the organisations of a State's own region do appear."""
    groups = {row["iso3"]: row["regional_group"] for row in generator._countries()}
    americas = ("Organization of American States", "Organisation des États américains",
                "Organización de los Estados Americanos")  # fmt: skip
    african = ("African Union", "Union africaine", "Unión Africana", "Malabo")
    subregional = (
        "Caribbean Community",
        "Commonwealth of Independent States",
        "Shanghai Cooperation",
        "Pacific Islands Forum",
        "Southeast Asian Nations",
        "League of Arab States",
        "Ligue des États arabes",
        "Arab Convention",
        "Economic Community of West African States",
        "Sistema de la Integración",
    )
    foreign = {
        "Latin American and Caribbean": african + subregional + ("Council of Europe",),
        "Western European and other": americas + african + subregional,
        "Eastern European": americas + african + subregional,
        "African": americas + subregional,
        "Asia-Pacific": americas + african + subregional,
    }
    own = {
        "Latin American and Caribbean": americas,
        "African": african,
        "Eastern European": ("Council of Europe", "Conseil de l'Europe"),
        "Western European and other": ("Council of Europe", "Conseil de l'Europe"),
    }
    seen = Counter()
    for document in corpus.documents:
        group = groups.get(document.submitter)
        if group is None:
            continue
        for paragraph in _paragraphs(document):
            assert not [name for name in foreign[group] if name in paragraph], paragraph
            seen[group] += any(name in paragraph for name in own.get(group, ()))
    assert all(seen[group] > 0 for group in own), seen


def test_recommendations_say_upon_request_once(corpus: Corpus) -> None:
    texts = [r.text for r in corpus.recommendations]
    assert texts and not [t for t in texts if t.count("upon request") > 1]


def test_state_names_read_as_running_text(corpus: Corpus) -> None:
    """'the Parliament of the Russian Federation', never 'of Russian Federation' or
    'of Iran (Islamic Republic of)'."""
    assert generator.prose_name("Iran (Islamic Republic of)") == "the Islamic Republic of Iran"
    assert generator.prose_name("Niger") == "the Niger"
    assert generator.prose_name("Nigeria") == "Nigeria"
    text = "\n".join(p for d in corpus.documents if d.language == "en" for p in _paragraphs(d))
    assert "of Russian Federation" not in text and "the Russian Federation" in text
    assert "(Islamic Republic of)" not in text and "(Kingdom of the)" not in text


def test_no_phrase_is_paired_with_itself_and_amendments_follow_adoption(corpus: Corpus) -> None:
    """Not 'the national cybercrime unit and the national cybercrime unit' (27 before a slot
    used twice drew two values), nor a law 'adopted in 2016 and supplemented in 2015'."""
    text = [p for d in corpus.documents for p in _paragraphs(d)]
    pair = re.compile(r"\b((?:\w+ ){1,4}\w+) and (?:the )?\1\b")
    assert not [m.group(0) for t in text for m in pair.finditer(t) if len(m.group(1)) > 8]
    years = re.compile(r"adopted in (\d{4}) and \w+ in (\d{4})")
    dated = [(int(a), int(b)) for t in text for a, b in years.findall(t)]
    assert dated and all(adopted < amended for adopted, amended in dated)


def test_only_donor_states_fund_programmes(corpus: Corpus) -> None:
    """Not 'the Central African Republic has funded courses for ... 29 countries'."""
    states = {state.code for state in generator._states()}
    donors = generator._funding_states()
    paying = Counter(
        d.submitter in donors
        for d in corpus.documents
        if d.submitter in states
        for p in _paragraphs(d)
        if generator._FUNDS.search(p)
    )
    assert paying[True] > 0 and paying[False] == 0


def test_observers_take_the_article_companies_do_not(corpus: Corpus) -> None:
    """'The UNODC Global Programme on Cybercrime notes', not 'UNODC Global Programme ...
    notes'; 'Northwind Security Solutions Inc. offers', not 'the Northwind ...'."""
    text = "\n".join(p for d in corpus.documents for p in _paragraphs(d))
    assert "The UNODC Global Programme on Cybercrime" in text
    assert not re.search(r"(?:^|\n|\d\. )UNODC Global Programme", text)
    assert "the Northwind Security Solutions" not in text


def test_topics_differ_in_their_stock_taking_outcomes(corpus: Corpus) -> None:
    """Not 17 adopted / 6 merged / 4 pending / 3 withdrawn under every topic."""
    outcomes = {
        (meeting, topic): Counter(
            r.status for r in corpus.recommendations if (r.meeting, r.topic) == (meeting, topic)
        )
        for meeting, topic in {(r.meeting, r.topic) for r in corpus.recommendations}
        if sum(1 for r in corpus.recommendations if (r.meeting, r.topic) == (meeting, topic)) > 10
    }
    assert len(outcomes) >= 6 and len({tuple(sorted(c.items())) for c in outcomes.values()}) > 3


def test_comments_fit_the_recommendation_they_cite(corpus: Corpus) -> None:
    """A term to clarify is one the recommendation uses; a reference to add is one it lacks;
    'replace "should"' only where it says should."""
    recs = {(r.meeting, r.number): r.text for r in corpus.recommendations}
    checked = Counter()
    for comment in corpus.comments:
        text = recs[(comment.meeting, comment.number)].lower()
        if added := re.search(r"adding a reference to (.+)\.$", comment.text):
            checked["added"] += 1
            assert added.group(1).lower() not in text, comment.text
        if term := re.search(r'clarification of the term "(.+)"', comment.text):
            checked["term"] += 1
            assert term.group(1).lower() in text, comment.text
        if '"should"' in comment.text:
            checked["should"] += 1
            assert "should" in text, comment.text
    assert min(checked.values(), default=0) > 0 and len(checked) == 3, checked
