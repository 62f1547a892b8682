"""NLP: topic and capacity-building classifiers, term and country matchers, training, evaluation.

The pipelines are trained by the product from ``data/training`` with the configs in
``configs/`` (``ieg train``), never downloaded. Importing :mod:`ieg_analysis.nlp.features`
registers the feature architecture the configs name, so load models through
:class:`ieg_analysis.nlp.classifier.Classifier`.
"""

TOPICS = (
    "legislation_frameworks",
    "criminalization",
    "law_enforcement",
    "electronic_evidence",
    "international_cooperation",
    "prevention",
)
CAPACITY_LABELS = ("need", "provision", "none")
LANGUAGES = ("en", "fr", "es")
