"""The feature extractor of the text classifiers, registered as ``ieg.TextCatFeatures.v1``.

A bag-of-features linear model, like spaCy's ``TextCatBOW`` but over three kinds of feature:

- lower-case word n-grams (``ngram_size``; 0 for none);
- lemma n-grams (``lemma_ngram_size``; lemmas from the ``spacy-lookups-data`` lookup tables,
  read at run time so the models stay small; numbers become their digit shape, so "2019"
  and "2021" share a feature);
- vocabulary terms (``term_features``): each matched term id and its topic, which carry
  what the term vocabulary knows into languages with little training data;
- capacity cues (``cue_features``): phrases that ask for or offer help
  (``data/reference/capacity_cues.csv``), as the cue id and the label it points to;
- topic cues (``topic_cue_features``): the everyday words of each topic in English, French
  and Spanish (``data/reference/topic_cues.csv``: prosecutor/procureur/fiscal, extradite,
  awareness...), as the cue id and its topic: shared by the three languages, and by writers
  who say the same thing in different words.

Two options shape the lemma and term features: ``drop_stop_words`` leaves out the lemmas of
the language's stop words (spaCy's list), and ``binary`` counts a feature once per passage
however often it occurs. Both make a passage's features less a matter of its writer's style:
in a cross-validation that holds out whole writers of the English training data (11 writers,
4 folds), topic macro-F1 0.820 -> 0.829 with both (0.825 stop words alone, 0.823 binary alone).

A hidden layer beside the linear one (``hidden_width`` > 0; 0, the default, is the linear
model alone): each feature hash also picks one of ``hidden_buckets`` learned vectors, the
passage is the mean of its vectors, then a ReLU and a linear layer to the labels, whose
scores are added to the linear scores before the sigmoid. The linear part keeps what single
features say; the hidden part can learn what features say together (a word that means a topic
only beside another). Writer cross-validation, topics (width 32, 16384 buckets; two seeds for
English): English 0.850 -> 0.851 and 0.848 -> 0.851, French 0.833 -> 0.837, Spanish 0.828 ->
0.829.

Import this module before loading a pipeline that uses it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from functools import partial

import numpy
from spacy.attrs import LOWER
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import StringStore, hash_string
from spacy.tokens import Doc
from spacy.util import get_lang_class, load_language_data, registry
from thinc.api import Logistic, Model, SparseLinear_v2, add, chain, resizable, with_cpu
from thinc.layers.resizable import resize_linear_weighted
from thinc.layers.softmax_activation import softmax_activation

from .terms import cue_matcher, term_matcher, topic_cue_matcher

_NEG_VALUE = -5000
_DIGIT = re.compile(r"\d")
_EMPTY_KEY = hash_string("__empty__")


@functools.lru_cache(maxsize=8)
def _lemma_table(lang: str) -> dict:
    """The form -> lemma lookup table of ``lang`` as a plain dict, read straight from the
    ``spacy-lookups-data`` files (spaCy's ``load_lookups`` builds a hashed ``Table`` of it,
    which costs about four seconds per language; the plain dict under one)."""
    try:
        import spacy_lookups_data

        path = getattr(spacy_lookups_data, lang, {})["lemma_lookup"]
        table = load_language_data(path)
    except (ImportError, KeyError, ValueError, OSError):
        return {}
    return table if isinstance(table, dict) else {}


class _LemmaKeys:
    """Maps a lower-case form's hash to the hash of its lemma, cached per language."""

    def __init__(self, lang: str) -> None:
        self.table = _lemma_table(lang)
        self.cache: dict[int, int] = {}

    def key(self, lower: int, strings) -> int:
        cached = self.cache.get(lower)
        if cached is None:  # first sight of this form
            text = strings[lower]
            if _DIGIT.search(text):
                lemma = _DIGIT.sub("d", text)
            else:
                lemma = self.table.get(text, text) if self.table else text
                if isinstance(lemma, list):
                    lemma = lemma[0] if lemma else text
            cached = self.cache[lower] = hash_string("lemma:" + lemma)
        return cached


@functools.lru_cache(maxsize=8)
def lemma_keys(lang: str) -> _LemmaKeys:
    return _LemmaKeys(lang)


def _cached(doc: Doc, key: str, compute: Callable[[], object]):
    """A per-doc value shared by the components of a pipeline (kept in ``doc.user_data``)."""
    slot = ("ieg", key)
    if slot not in doc.user_data:
        doc.user_data[slot] = compute()
    return doc.user_data[slot]


def doc_lemmas(doc: Doc, lowers: numpy.ndarray) -> numpy.ndarray:
    keys = lemma_keys(doc.lang_)
    strings = doc.vocab.strings
    return numpy.asarray([keys.key(k, strings) for k in lowers.tolist()], dtype="uint64")


def doc_terms(doc: Doc) -> list:
    """The vocabulary terms in ``doc``, with their spans (computed once per doc)."""
    return _cached(doc, "terms", lambda: term_matcher(doc.lang_)(doc))


@functools.lru_cache(maxsize=8)
def stop_lemma_keys(lang: str) -> frozenset[int]:
    """The lemma feature hashes of ``lang``'s stop words (spaCy's list)."""
    keys = lemma_keys(lang)
    strings = StringStore()
    try:
        stop_words = get_lang_class(lang).Defaults.stop_words
    except ImportError:
        stop_words = set()
    return frozenset(keys.key(strings.add(word), strings) for word in stop_words)


def _once(keys: numpy.ndarray) -> numpy.ndarray:
    """The keys without repeats, in order of first occurrence (a dict on these few dozen
    keys is several times faster than numpy.unique)."""
    if len(keys) < 2:
        return keys
    return numpy.asarray(list(dict.fromkeys(keys.tolist())), dtype="uint64")


def doc_topic_cue_ids(doc: Doc) -> list[tuple[str, str]]:
    """(cue id, topic) of the topic cues in ``doc`` (computed once per doc)."""
    return _cached(doc, "tcue_ids", lambda: topic_cue_matcher(doc.lang_).ids(doc))


def doc_term_ids(doc: Doc) -> list[tuple[str, str]]:
    """(term id, topic) of the vocabulary terms in ``doc`` (computed once per doc)."""
    return _cached(doc, "term_ids", lambda: term_matcher(doc.lang_).ids(doc))


def doc_features(
    doc: Doc,
    ops,
    *,
    ngram_size: int,
    lemma_ngram_size: int,
    term_features: bool,
    cue_features: bool = False,
    drop_stop_words: bool = False,
    binary: bool = False,
    topic_cue_features: bool = False,
) -> numpy.ndarray:
    """The feature hashes of one doc (with repeats, unless ``binary``)."""
    lowers = _cached(doc, "lowers", lambda: doc.to_array(LOWER).astype("uint64"))
    if len(lowers) == 0:
        return numpy.asarray([_EMPTY_KEY], dtype="uint64")
    parts = [lowers] if ngram_size >= 1 else []
    parts += [ops.ngrams(n, lowers) for n in range(2, ngram_size + 1) if n <= len(lowers)]
    if lemma_ngram_size > 0:
        lemmas = _cached(doc, "lemmas", lambda: doc_lemmas(doc, lowers))
        if drop_stop_words:
            # plain Python on these few dozen keys: numpy.isin costs ~40 us a passage
            stop = stop_lemma_keys(doc.lang_)
            lemmas = numpy.asarray([k for k in lemmas.tolist() if k not in stop], dtype="uint64")
        parts.append(_once(lemmas) if binary else lemmas)
        for n in range(2, lemma_ngram_size + 1):
            if n <= len(lemmas):
                grams = ops.ngrams(n, lemmas)
                parts.append(_once(grams) if binary else grams)
    if term_features:
        terms = _cached(doc, "term_keys", lambda: _match_keys(doc_term_ids(doc), "term"))
        parts.append(_once(terms) if binary else terms)
    if cue_features:
        cues = _cached(doc, "cues", lambda: cue_matcher(doc.lang_).ids(doc))
        parts.append(_cached(doc, "cue_keys", lambda: _match_keys(cues, "cue")))
    if topic_cue_features:
        keys = _cached(doc, "tcue_keys", lambda: _match_keys(doc_topic_cue_ids(doc), "tcue"))
        parts.append(_once(keys) if binary else keys)
    if not parts or not sum(len(part) for part in parts):
        return numpy.asarray([_EMPTY_KEY], dtype="uint64")
    return numpy.concatenate(parts)


def _match_keys(matches: list[tuple[str, str]], prefix: str) -> numpy.ndarray:
    """The feature hashes of (term id, topic) matches: the term and its topic."""
    keys = [_feature_key(f"{prefix}:{term_id}") for term_id, _ in matches]
    keys += [_feature_key(f"{prefix}-label:{topic}") for _, topic in matches]
    return numpy.asarray(keys, dtype="uint64")


@functools.lru_cache(maxsize=4096)
def _feature_key(name: str) -> int:
    return hash_string(name)


def extract_features(
    *,
    ngram_size: int,
    lemma_ngram_size: int,
    term_features: bool,
    cue_features: bool,
    drop_stop_words: bool = False,
    binary: bool = False,
    topic_cue_features: bool = False,
) -> Model[list[Doc], tuple]:
    model: Model = Model("ieg_extract_features", _forward)
    model.attrs["options"] = {
        "ngram_size": ngram_size,
        "lemma_ngram_size": lemma_ngram_size,
        "term_features": term_features,
        "cue_features": cue_features,
        "drop_stop_words": drop_stop_words,
        "binary": binary,
        "topic_cue_features": topic_cue_features,
    }
    return model


def _forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[tuple, Callable]:
    options = model.attrs["options"]
    per_doc = [doc_features(doc, model.ops, **options) for doc in docs]
    # every occurrence is its own key with value 1: the sparse linear layer adds a repeated
    # key's weight once per occurrence, the same as the key once with its count (summing
    # them first cost a sort of the whole batch)
    keys = numpy.concatenate(per_doc) if per_doc else numpy.zeros((0,), dtype="uint64")
    vals = model.ops.alloc1f(len(keys)) + 1
    lengths = model.ops.asarray([len(k) for k in per_doc], dtype="int32")

    def backprop(_d_output) -> list:
        return []

    return (keys, vals, lengths), backprop


def hidden_features(nO: int | None, width: int, buckets: int) -> Model[tuple, object]:
    """The hidden branch over the extractor's (keys, values, lengths): mean of hashed
    embeddings, ReLU, linear. ``buckets`` must be a power of two (a key picks its row by its
    low bits)."""
    if buckets & (buckets - 1) or buckets <= 0:
        raise ValueError(f"hidden_buckets must be a power of two, not {buckets}")
    return Model(
        "ieg_hidden_features",
        _hidden_forward,
        init=_hidden_init,
        dims={"nO": nO, "width": width, "buckets": buckets},
        params={"E": None, "c": None, "W": None, "b": None},
    )


def _hidden_init(model: Model, X=None, Y=None) -> None:
    if Y is not None and model.has_dim("nO") is None:
        model.set_dim("nO", Y.shape[1])
    n_out, width = model.get_dim("nO"), model.get_dim("width")
    # numpy's global generator: seeded by the training's fix_random_seed
    model.set_param(
        "E", numpy.random.uniform(-0.1, 0.1, (model.get_dim("buckets"), width)).astype("f")
    )
    model.set_param("c", numpy.zeros((width,), dtype="f"))
    limit = numpy.sqrt(6.0 / (width + n_out))
    model.set_param("W", numpy.random.uniform(-limit, limit, (n_out, width)).astype("f"))
    model.set_param("b", numpy.zeros((n_out,), dtype="f"))


def _hidden_forward(model: Model, inputs: tuple, is_train: bool) -> tuple[numpy.ndarray, Callable]:
    keys, _vals, lengths = inputs
    lengths = numpy.asarray(lengths, dtype="int64")
    E, c, W, b = (model.get_param(name) for name in ("E", "c", "W", "b"))
    rows = (numpy.asarray(keys, dtype="uint64") & numpy.uint64(len(E) - 1)).astype("int64")
    starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1])).astype("int64")
    # every passage has at least one key (the extractor gives an empty one __empty__)
    summed = numpy.add.reduceat(E[rows], starts, axis=0) if len(rows) else E[:0]
    scale = (1.0 / numpy.maximum(lengths, 1)).astype("f")[:, None]
    pre = summed * scale + c
    active = pre > 0
    hidden = pre * active
    output = hidden @ W.T + b

    def backprop(d_output: numpy.ndarray) -> tuple:
        model.inc_grad("b", d_output.sum(axis=0))
        model.inc_grad("W", d_output.T @ hidden)
        d_pre = (d_output @ W) * active
        model.inc_grad("c", d_pre.sum(axis=0))
        d_rows = numpy.repeat(d_pre * scale, lengths, axis=0)
        d_E = numpy.zeros_like(E)
        numpy.add.at(d_E, rows, d_rows)
        model.inc_grad("E", d_E)
        return inputs

    return output, backprop


@registry.architectures("ieg.TextCatFeatures.v1")
def build_feature_text_classifier(
    exclusive_classes: bool,
    ngram_size: int,
    lemma_ngram_size: int,
    term_features: bool,
    cue_features: bool = False,
    length: int = 131072,
    nO: int | None = None,
    drop_stop_words: bool = False,
    binary: bool = False,
    topic_cue_features: bool = False,
    hidden_width: int = 0,
    hidden_buckets: int = 16384,
) -> Model[list[Doc], object]:
    """A sparse linear classifier over word, lemma and term features, with a hidden layer
    beside it when ``hidden_width`` > 0 (see the module doc)."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults={"b": _NEG_VALUE, "W": 0}),
    )
    extractor = extract_features(
        ngram_size=ngram_size,
        lemma_ngram_size=lemma_ngram_size,
        term_features=term_features,
        cue_features=cue_features,
        drop_stop_words=drop_stop_words,
        binary=binary,
        topic_cue_features=topic_cue_features,
    )
    if hidden_width > 0:
        scores = add(resizable_layer, hidden_features(nO, hidden_width, hidden_buckets))
        model = chain(extractor, scores)
    else:
        model = chain(extractor, resizable_layer)
    model = with_cpu(model, model.ops)
    model = chain(model, with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model
