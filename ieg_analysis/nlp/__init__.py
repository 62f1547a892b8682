"""NLP: topic and capacity-building classifiers, term and country matchers, training, evaluation.

The pipelines are trained by the product from ``data/training`` with the configs in
``configs/`` (``ieg train``), never downloaded. Importing :mod:`ieg_analysis.nlp.features`
registers the feature architecture the configs name, so load models through
:class:`ieg_analysis.nlp.classifier.Classifier`.
"""

from ..records import CAPACITY_LABELS, TOPIC_IDS

TOPICS = TOPIC_IDS
LANGUAGES = ("en", "fr", "es")
__all__ = ["CAPACITY_LABELS", "LANGUAGES", "TOPICS"]
