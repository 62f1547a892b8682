"""Average-linkage agglomerative clustering of a similarity matrix, under the Secretariat's
constraints, and the suggested wording of each cluster. Pure numpy; no I/O.

Two clusters are joined while the mean similarity between their members (average linkage) is
at least the threshold, the closest pair first. Average linkage, unlike single linkage, does
not chain: a text similar to one member of a cluster but not to the others stays out. And no
join puts together two texts whose own similarity is below ``MIN_PAIR_SIMILARITY``: in a
large list a mean can still hide a pair that shares almost nothing (the sample grouped
"rules on the retention of traffic data" with "the legal basis for cooperation with service
providers", similarity 0.08, through their neighbours).

Constraints: ``together`` groups start as one cluster (an accepted or merged cluster); an
``apart`` pair (a member split off a cluster) is never in one cluster, whatever the
similarity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

# Chosen on the tuning half of data/evaluation/recommendation_pairs.jsonl (the best F1 of
# "same cluster"); `ieg consolidate --evaluate` re-runs the choice and reports the test half.
DEFAULT_THRESHOLD = 0.325
# No cluster holds a pair below this (see the module doc). On the pairs it changes nothing
# (the same F1 on both halves at 0.1; at 0.15 and above one more test pair is parted).
MIN_PAIR_SIMILARITY = 0.1


def cluster(
    similarity: np.ndarray,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    together: Iterable[Iterable[int]] = (),
    apart: Iterable[tuple[int, int]] = (),
    floor: float = MIN_PAIR_SIMILARITY,
) -> list[list[int]]:
    """Clusters of row indices (each sorted, largest cluster first, then by first index);
    singletons included. No join makes a cluster with a pair less similar than ``floor``
    (the ``together`` groups, the Secretariat's decisions, stand as they are)."""
    n = similarity.shape[0]
    if n == 0:
        return []
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    owner = list(range(n))
    for group in together:
        group = sorted({owner[i] for i in group})
        keep = group[0]
        for other in group[1:]:
            members[keep] += members.pop(other)
            for i in members[keep]:
                owner[i] = keep
    forbidden = np.zeros((n, n), dtype=bool)
    for a, b in apart:
        forbidden[a, b] = forbidden[b, a] = True
    keys = sorted(members)
    # cluster-level linkage: mean of the member similarities; -inf where a constraint forbids
    membership = np.zeros((len(keys), n))
    for row, key in enumerate(keys):
        membership[row, members[key]] = 1.0
    sizes = membership.sum(axis=1)
    start = membership @ similarity @ membership.T / np.outer(sizes, sizes)
    start[(membership @ forbidden.astype(float) @ membership.T) > 0] = -np.inf
    np.fill_diagonal(start, -np.inf)
    links = np.full((n, n), -np.inf)
    links[np.ix_(keys, keys)] = start
    alive = np.zeros(n, dtype=bool)
    alive[keys] = True
    # the least similar pair across two clusters, and where that forbids their join
    nearest = np.stack([similarity[members[key]].min(axis=0) for key in keys])
    lowest = np.full((n, n), np.inf)
    lowest[np.ix_(keys, keys)] = np.stack(
        [nearest[:, members[key]].min(axis=1) for key in keys], axis=1
    )
    links[lowest < floor] = -np.inf
    while True:
        masked = np.where(alive[:, None] & alive[None, :], links, -np.inf)
        flat = int(np.argmax(masked))
        i, j = divmod(flat, n)
        if not np.isfinite(masked[i, j]) or masked[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        size_i, size_j = len(members[i]), len(members[j])
        merged = (size_i * links[i] + size_j * links[j]) / (size_i + size_j)  # Lance-Williams
        lowest[i, :] = lowest[:, i] = np.minimum(lowest[i], lowest[j])
        merged[np.isneginf(links[i]) | np.isneginf(links[j]) | (lowest[i] < floor)] = -np.inf
        links[i, :] = merged
        links[:, i] = merged
        links[i, i] = -np.inf
        links[j, :] = -np.inf
        links[:, j] = -np.inf
        alive[j] = False
        members[i] += members.pop(j)
    clusters = [sorted(group) for group in members.values()]
    return sorted(clusters, key=lambda group: (-len(group), group[0]))


def pairwise(similarity: np.ndarray, group: Sequence[int]) -> list[tuple[int, int, float]]:
    """Every pair of a cluster with its similarity, most similar first."""
    pairs = [(a, b, float(similarity[a, b])) for x, a in enumerate(group) for b in group[x + 1 :]]
    return sorted(pairs, key=lambda pair: -pair[2])


def mean_similarity(similarity: np.ndarray, group: Sequence[int]) -> float:
    """The mean similarity over the pairs of a cluster (1.0 for a single member)."""
    pairs = pairwise(similarity, group)
    return float(np.mean([s for _, _, s in pairs])) if pairs else 1.0


def representative(
    group: Sequence[int],
    similarity: np.ndarray,
    features: Sequence[set[str]],
    eligible: Sequence[int] | None = None,
) -> int:
    """The member whose wording to suggest for the cluster: the one covering most of the
    cluster's shared content (the lemmas and terms at least two members use), then most of
    all its content, so that when one recommendation contains another the fuller one is
    chosen; ties go to the medoid (highest mean similarity to the others), then the earliest.
    Only ``eligible`` members (default: all; e.g. not already merged into another) are
    chosen, but the whole group defines its shared content."""
    candidates = [i for i in group if eligible is None or i in eligible] or list(group)
    if len(candidates) == 1:
        return candidates[0]
    counts: dict[str, int] = {}
    for i in group:
        for feature in features[i]:
            counts[feature] = counts.get(feature, 0) + 1
    shared = {feature for feature, count in counts.items() if count >= 2}

    def score(i: int) -> tuple[float, float, float, int]:
        coverage = len(features[i] & shared) / len(shared) if shared else 0.0
        fullness = len(features[i]) / len(counts) if counts else 0.0
        others = [similarity[i, j] for j in group if j != i]
        return (round(coverage, 6), round(fullness, 6), float(np.mean(others)), -i)

    return max(candidates, key=score)
