from __future__ import annotations

import numpy
import pytest
import spacy
from thinc.api import NumpyOps

from ieg_analysis.nlp.features import (
    _EMPTY_KEY,
    doc_features,
    hidden_features,
    lemma_keys,
    stop_lemma_keys,
)

OPTIONS = {"ngram_size": 0, "lemma_ngram_size": 1, "term_features": True}


def _features(text: str, lang: str = "en", **options) -> list[int]:
    doc = spacy.blank(lang)(text)
    return doc_features(doc, NumpyOps(), **{**OPTIONS, **options}).tolist()


def _lemma(word: str, lang: str = "en") -> int:
    nlp = spacy.blank(lang)
    return lemma_keys(lang).key(nlp.vocab.strings.add(word), nlp.vocab.strings)


def test_binary_counts_a_feature_once_per_passage():
    text = "The evidence and the evidence of the evidence."
    assert _features(text).count(_lemma("evidence")) == 3
    assert _features(text, binary=True).count(_lemma("evidence")) == 1
    # the vocabulary term once too
    counted = _features("data preservation, then data preservation again")
    once = _features("data preservation, then data preservation again", binary=True)
    # a second "data", "preservation", and the term's id and topic keys
    assert len(counted) - len(once) == 4


def test_stop_words_are_left_out_by_lemma():
    features = _features("The States have been adopting the laws", drop_stop_words=True)
    assert _lemma("the") not in features and _lemma("been") not in features
    assert _lemma("law") in features and _lemma("adopting") in features
    assert _lemma("the") in _features("The States have been adopting the laws")
    french = _features("Les États ont adopté des lois", "fr", drop_stop_words=True)
    assert _lemma("les", "fr") not in french and _lemma("lois", "fr") in french


def test_a_passage_of_stop_words_only_has_the_empty_feature():
    assert _features("and of the", drop_stop_words=True) == [_EMPTY_KEY]
    assert len(stop_lemma_keys("en")) > 100 and len(stop_lemma_keys("es")) > 100


def test_topic_cues_are_features_shared_by_the_languages():
    from ieg_analysis.nlp.features import _feature_key

    english = _features("The prosecutors appealed.", topic_cue_features=True)
    french = _features("Les procureurs ont fait appel.", "fr", topic_cue_features=True)
    assert (
        _feature_key("tcue:ele_prosecutor") in english
        and _feature_key("tcue:ele_prosecutor") in french
    )
    assert _feature_key("tcue-label:electronic_evidence") in french
    assert _feature_key("tcue:ele_prosecutor") not in _features("The prosecutors appealed.")


def _hidden(n_out: int = 3, width: int = 4, buckets: int = 8):
    numpy.random.seed(0)
    model = hidden_features(n_out, width, buckets)
    model.initialize()
    keys = numpy.asarray([3, 11, 5, 3, 7, 2], dtype="uint64")  # 11 and 3 share bucket 3
    lengths = numpy.asarray([2, 3, 1], dtype="int32")
    return model, (keys, numpy.ones(len(keys), dtype="f"), lengths)


def test_hidden_branch_is_the_mean_of_bucket_vectors_through_relu():
    model, inputs = _hidden()
    E, c, W, b = (model.get_param(name) for name in ("E", "c", "W", "b"))
    scores, _ = model(inputs, is_train=False)
    first = numpy.maximum((E[3] + E[3]) / 2 + c, 0) @ W.T + b
    third = numpy.maximum(E[2] + c, 0) @ W.T + b
    assert scores.shape == (3, 3)
    assert numpy.allclose(scores[0], first) and numpy.allclose(scores[2], third)


def test_hidden_branch_gradients_match_finite_differences():
    model, inputs = _hidden()
    model.set_param("c", numpy.full((4,), 0.05, dtype="f"))  # keep units off the ReLU's kink
    weights = numpy.random.default_rng(1).normal(size=(3, 3)).astype("f")

    def loss() -> float:
        return float((model(inputs, is_train=False)[0] * weights).sum())

    _, backprop = model(inputs, is_train=True)
    backprop(weights)
    for name in ("E", "c", "W", "b"):
        param, grad = model.get_param(name), model.get_grad(name)
        for index in [(0,) * param.ndim, tuple(s - 1 for s in param.shape), (3, 1)[: param.ndim]]:
            if any(i >= s for i, s in zip(index, param.shape, strict=True)):
                continue
            saved = float(param[index])
            param[index] = saved + 1e-2
            up = loss()
            param[index] = saved - 1e-2
            down = loss()
            param[index] = saved
            assert abs((up - down) / 2e-2 - float(grad[index])) < 1e-3, (name, index)


def test_hidden_buckets_must_be_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        hidden_features(3, 4, 1000)
