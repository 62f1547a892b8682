"""Clustering on small hand-built texts: the vectors, the linkage, the constraints and the
suggested wording."""

from __future__ import annotations

import numpy as np
import pytest

from ieg_analysis.consolidation.clustering import cluster, mean_similarity, representative
from ieg_analysis.consolidation.vectors import features, lemmas, similarity_matrix, terms

TEXTS = [
    "Member States should criminalize ransomware attacks.",
    "States should criminalize attacks using ransomware, including the sale of ransomware kits.",
    "UNODC should continue to support awareness campaigns in schools.",
    "UNODC should continue to support campaigns in schools to raise awareness.",
    "Member States should establish a national CERT.",
]


def test_lemmas_drop_stop_and_register_words_and_lemmatise() -> None:
    assert lemmas("Member States should continue criminalizing offences.") == [
        "criminalize",
        "offence",
    ]
    assert lemmas("a 24/7 network") == ["dd/d", "network"]


def test_vocabulary_terms_join_synonyms() -> None:
    assert terms("a national CERT") == terms("a computer emergency response team")
    assert "term:cert_csirt" in features("States should set up a national CERT.")


def test_similarity_is_a_symmetric_matrix_with_a_unit_diagonal() -> None:
    similarity = similarity_matrix(TEXTS)
    assert similarity.shape == (5, 5)
    assert np.allclose(similarity, similarity.T)
    assert np.allclose(np.diag(similarity), 1.0)
    assert similarity[0, 1] > 0.4 > similarity[0, 2]


def test_near_duplicates_cluster_and_distinct_texts_do_not() -> None:
    groups = cluster(similarity_matrix(TEXTS), 0.4)
    assert [0, 1] in groups and [2, 3] in groups and [4] in groups


@pytest.mark.parametrize(("threshold", "expected"), [(0.95, 5), (0.4, 3), (0.0, 1)])
def test_the_threshold_sets_how_much_is_grouped(threshold: float, expected: int) -> None:
    similarity = similarity_matrix(TEXTS)
    if threshold == 0.0:
        similarity = similarity + 0.01  # everything above a zero threshold
    assert len(cluster(similarity, threshold, floor=0.0)) == expected


def test_no_cluster_holds_a_pair_that_shares_almost_nothing() -> None:
    # 2 is close to 1 and far from 0: the mean (0.475) would join it, the pair 0-2 does not
    similarity = np.array([[1.0, 0.9, 0.05], [0.9, 1.0, 0.9], [0.05, 0.9, 1.0]])
    assert cluster(similarity, 0.4) == [[0, 1], [2]]
    assert cluster(similarity, 0.4, floor=0.0) == [[0, 1, 2]]
    # a group the Secretariat put together stands, whatever its own pairs (and 1, close to
    # both its members, joins it)
    assert cluster(similarity, 0.4, together=[[0, 2]]) == [[0, 1, 2]]
    assert cluster(similarity, 0.95, together=[[0, 2]]) == [[0, 2], [1]]


def test_the_shared_ask_weighs_less_than_the_subject() -> None:
    texts = [
        "States should adopt standard operating procedures for the tracing of virtual currency.",
        "UNODC should support States in establishing units for tracing virtual currency.",
        "States should adopt standard operating procedures for undercover investigations online.",
        "States should adopt standard operating procedures for open-source intelligence.",
        "States should adopt standard operating procedures for the identification of victims.",
    ]
    similarity = similarity_matrix(texts)
    assert similarity[0, 1] > max(similarity[0, 2], similarity[0, 3], similarity[0, 4])


def test_average_linkage_does_not_chain() -> None:
    # 0-1 and 1-2 are close, 0-2 are not: average linkage keeps 2 out
    similarity = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.5], [0.0, 0.5, 1.0]])
    assert cluster(similarity, 0.4) == [[0, 1], [2]]


def test_constraints_win_over_similarity() -> None:
    similarity = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.1], [0.1, 0.1, 1.0]])
    assert cluster(similarity, 0.4, apart=[(0, 1)]) == [[0], [1], [2]]
    assert cluster(similarity, 0.6, together=[[1, 2]]) == [[1, 2], [0]]  # mean 0.5 to 0
    assert cluster(similarity, 0.4, together=[[1, 2]]) == [[0, 1, 2]]
    assert cluster(similarity, 0.4, together=[[0, 2]], apart=[(1, 2)]) == [[0, 2], [1]]


def test_empty_input() -> None:
    assert cluster(np.zeros((0, 0)), 0.4) == []


def test_the_suggested_wording_is_the_fuller_member() -> None:
    texts = TEXTS[:2]
    similarity = similarity_matrix(texts)
    bags = [set(features(t)) for t in texts]
    assert representative([0, 1], similarity, bags) == 1
    assert mean_similarity(similarity, [0, 1]) == pytest.approx(similarity[0, 1])


def test_the_suggested_wording_is_one_still_standing() -> None:
    texts = TEXTS[:2]
    similarity = similarity_matrix(texts)
    bags = [set(features(t)) for t in texts]
    # the fuller member 1 was merged into member 0 by a meeting: suggest member 0
    assert representative([0, 1], similarity, bags, eligible=[0]) == 0
    assert representative([0, 1], similarity, bags, eligible=[]) == 1  # none: all eligible


def test_a_group_is_worded_after_the_member_the_meetings_merged_others_into() -> None:
    import pandas as pd

    from ieg_analysis.consolidation.service import build

    texts = [  # 4.1 and 5.1 are fuller, but the meetings merged 5.1 into 4.2
        "States should criminalize attacks using ransomware, including the sale and rental "
        "of ransomware kits and services.",
        "Member States should criminalize ransomware attacks.",
        "States should criminalize ransomware attacks and the sale of ransomware kits.",
    ]
    recs = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "meeting": [4, 4, 5],
            "number": [1, 2, 1],
            "topic_id": ["criminalization"] * 3,
            "text": texts,
            "status": ["adopted", "preliminary", "merged"],
            "merged_into_id": [None, None, 2],
            "language": ["en"] * 3,
            "reference": ["4.1", "4.2", "5.1"],
            "topic": ["Criminalization"] * 3,
            "topic_short": ["Criminalization"] * 3,
            "merged_into": [None, None, "4.2"],
        }
    )
    clusters = build(recs, 0.2).clusters
    assert len(clusters) == 1 and clusters.iloc[0]["size"] == 3
    assert clusters.iloc[0]["representative"] == "4.2"  # not the merged 5.1, nor the fuller 4.1


def test_a_group_says_which_vocabulary_terms_its_wording_leaves_out() -> None:
    import pandas as pd

    from ieg_analysis.consolidation.service import build, draft_list
    from ieg_analysis.export.consolidated import source_line

    texts = [  # one register, three different offences
        "UNODC should compile good practices on the criminalization of the online grooming "
        "of children, taking into account the needs of developing countries.",
        "UNODC should compile good practices on the criminalization of phishing, taking into "
        "account the needs of developing countries.",
        "UNODC should compile good practices on the criminalization of phishing.",
        "UNODC should continue to compile good practices on the criminalization of the online "
        "grooming of children.",
    ]
    recs = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "meeting": [4, 4, 4, 5],
            "number": [1, 2, 3, 1],
            "topic_id": ["criminalization"] * 4,
            "text": texts,
            "status": ["preliminary"] * 4,
            "merged_into_id": [None] * 4,
            "language": ["en"] * 4,
            "reference": ["4.1", "4.2", "4.3", "5.1"],
            "topic": ["Criminalization"] * 4,
            "topic_short": ["Criminalization"] * 4,
            "merged_into": [None] * 4,
        }
    )
    result = build(recs, 0.1)
    group = result.clusters.iloc[0]
    assert group["size"] == 4
    wording_names_grooming = "grooming" in group["wording"]
    expected = "phishing (4.2, 4.3)" if wording_names_grooming else "online grooming (4.1, 5.1)"
    assert group["left_out"] == expected
    line = source_line(draft_list(result, ["criminalization"]).iloc[0])
    assert f"not named in this wording: {expected}" in line
    assert build(recs.iloc[[0, 3]], 0.1).clusters.iloc[0]["left_out"] == ""  # one subject
