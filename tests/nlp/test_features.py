from __future__ import annotations

import spacy
from thinc.api import NumpyOps

from ieg_analysis.nlp.features import _EMPTY_KEY, doc_features, lemma_keys, stop_lemma_keys

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
