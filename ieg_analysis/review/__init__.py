"""Label review: the queue of passages to review, the reviewers' corrections (stored apart
from the model's output, winning over it in ``v_passage``), the corrections as training
data for ``ieg train --with-corrections``, and the model versions with their evaluation.

- ``queue.py``: which passages a reviewer should look at first;
- ``corrections.py``: record a correction (signed-in user, held-out guard), list them, and
  turn them into labelled training passages;
- ``heldout.py``: the guard that keeps the held-out evaluation set out of the corrections;
- ``versions.py``: the model versions, their training size, evaluation and output.
"""
