"""Consolidation of the preliminary recommendations for the stock-taking meeting (work plan,
annotation 6): find the recommendations of all meetings that say the same or overlapping
things, suggest one wording for each group, record the Secretariat's decisions on them, and
measure how well the grouping agrees with hand-labelled pairs.

- ``vectors``: what a recommendation's text is compared on (lemmas, vocabulary terms);
- ``clustering``: pairwise similarity, constrained average-linkage clustering, the
  suggested wording; pure numpy, no I/O;
- ``queries``: what is read from the store (recommendations, decisions);
- ``service``: the clusters of a database, with the Secretariat's decisions applied;
- ``decisions``: accept, split, merge (writes, for a signed-in Secretariat user only);
- ``evaluation``: precision and recall of "same cluster" on labelled pairs;
- ``commands``: ``ieg consolidate``.
"""
