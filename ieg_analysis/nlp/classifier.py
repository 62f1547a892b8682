"""The trained classifiers behind one interface: :class:`Classifier`.

``Classifier.load(model_dir)`` reads one pipeline per language (``<model_dir>/<lang>``,
each with a ``textcat_multilabel`` topic component and a ``textcat`` capacity component)
and ``meta.json``. ``classify`` scores passages; a passage in a language without a
pipeline is returned unclassified with the reason, never forced into a label.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import IEGError
from ..ingest.language import detect_language
from . import CAPACITY_LABELS, LANGUAGES, TOPICS
from .features import (  # also registers ieg.TextCatFeatures.v1
    doc_term_ids,
    lemma_keys,
    stop_lemma_keys,
)
from .mentions import Mention, country_matcher
from .terms import cue_matcher, term_matcher, topic_cue_matcher
from .thresholds import DEFAULT_THRESHOLD


class ModelsMissingError(IEGError):
    def __init__(self, model_dir: Path, detail: str) -> None:
        super().__init__(
            f"The classification models in {model_dir} are missing or unreadable ({detail}); "
            "run 'ieg train' to build them."
        )


@dataclass(frozen=True)
class Classification:
    language: str
    classified: bool
    reason: str | None
    topics: dict[str, float] = field(default_factory=dict)
    topic: str | None = None
    topic_labels: tuple[str, ...] = ()
    capacity: dict[str, float] = field(default_factory=dict)
    capacity_label: str | None = None
    terms: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()  # States the text names (not part of classify-text)


def unclassified_reason(language: str) -> str:
    if language == "empty":
        return "the passage has no words to classify"
    if language == "und":
        return "the language could not be determined"
    return f"language '{language}' is not covered by the models"


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


class Classifier:
    """Topic and capacity-building scores for passages in the languages with a model."""

    def __init__(
        self,
        pipelines: dict[str, Language],
        *,
        version: str,
        thresholds: dict[str, dict[str, float]] | None = None,
        meta: dict | None = None,
    ) -> None:
        self.pipelines = pipelines
        self.version = version
        self.thresholds = thresholds or {}
        self.meta = meta or {}

    @classmethod
    def load(cls, model_dir: Path) -> Classifier:
        """The models in ``model_dir``; :class:`ModelsMissingError` when they are not there."""
        model_dir = Path(model_dir)
        meta_path = model_dir / "meta.json"
        if not meta_path.is_file():
            raise ModelsMissingError(model_dir, "no meta.json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ModelsMissingError(model_dir, f"meta.json: {error}") from None
        pipelines: dict[str, Language] = {}
        thresholds: dict[str, dict[str, float]] = {}
        for lang in LANGUAGES:
            path = model_dir / lang
            if not path.is_dir():
                continue
            try:
                nlp = spacy.load(path)
            except (OSError, ValueError) as error:
                raise ModelsMissingError(model_dir, f"{lang}: {error}") from None
            pipelines[lang] = nlp
            thresholds[lang] = dict(nlp.meta.get("ieg_thresholds") or {})
        if not pipelines:
            raise ModelsMissingError(model_dir, "no language pipeline")
        return cls(
            pipelines, version=str(meta.get("version", "unknown")), thresholds=thresholds, meta=meta
        )

    def warm(self) -> None:
        """Load what classification loads lazily (lemma tables, term, cue and country
        matchers), e.g. before forking workers that would each load it again."""
        for lang in self.pipelines:
            lemma_keys(lang)
            term_matcher(lang)
            cue_matcher(lang)
            topic_cue_matcher(lang)
            stop_lemma_keys(lang)
            country_matcher(lang)
        country_matcher("en")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.pipelines)

    def threshold(self, lang: str, topic: str) -> float:
        return float(self.thresholds.get(lang, {}).get(topic, DEFAULT_THRESHOLD))

    def classify(
        self,
        texts: Sequence[str],
        languages: Sequence[str] | None = None,
        *,
        batch_size: int = 512,
        with_mentions: bool = False,
    ) -> list[Classification]:
        """One classification per text, in order. ``languages`` defaults to detection;
        ``with_mentions`` also finds the States each text names (on the same tokens)."""
        if languages is None:
            languages = [detect_language(text) for text in texts]
        elif len(languages) != len(texts):
            raise ValueError("texts and languages differ in length")
        results: list[Classification | None] = [None] * len(texts)
        by_lang: dict[str, list[int]] = {}
        for index, lang in enumerate(languages):
            if lang in self.pipelines and not _has_words(texts[index]):
                results[index] = Classification(lang, False, unclassified_reason("empty"))
            elif lang in self.pipelines:
                by_lang.setdefault(lang, []).append(index)
            else:
                mentions = tuple(country_matcher("en").find(texts[index])) if with_mentions else ()
                results[index] = Classification(
                    lang, False, unclassified_reason(lang), mentions=mentions
                )
        for lang, indices in by_lang.items():
            nlp = self.pipelines[lang]
            states = country_matcher(lang) if with_mentions else None
            docs = nlp.pipe((texts[i] for i in indices), batch_size=batch_size)
            for index, doc in zip(indices, docs, strict=True):
                mentions = tuple(states.match(doc)) if states is not None else ()
                results[index] = self._result(lang, doc.cats, doc_term_ids(doc), mentions)
        return [result for result in results if result is not None]

    def _result(
        self, lang: str, cats: dict[str, float], matches, mentions: tuple[Mention, ...] = ()
    ) -> Classification:
        topics = {topic: float(cats.get(topic, 0.0)) for topic in TOPICS}
        over = [t for t in TOPICS if topics[t] >= self.threshold(lang, t)]
        over.sort(key=lambda t: -topics[t])
        capacity = {label: float(cats.get(label, 0.0)) for label in CAPACITY_LABELS}
        total = sum(capacity.values()) or 1.0
        capacity = {label: score / total for label, score in capacity.items()}
        terms = tuple(dict.fromkeys(term_id for term_id, _ in matches))
        return Classification(
            language=lang,
            classified=True,
            reason=None,
            topics=topics,
            topic=over[0] if over else None,
            topic_labels=tuple(over),
            capacity=capacity,
            capacity_label=max(capacity, key=capacity.get),
            terms=terms,
            mentions=mentions,
        )
