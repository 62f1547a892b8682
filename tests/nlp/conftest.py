from __future__ import annotations

import pytest

from ieg_analysis.nlp.classifier import Classifier
from ieg_analysis.settings import REPO_ROOT

SHIPPED_MODELS = REPO_ROOT / "models"


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    """The models committed in models/ (a fresh clone classifies without training)."""
    return Classifier.load(SHIPPED_MODELS)
