"""IEG Analysis: an analytics dashboard for the UN Expert Group on Cybercrime.

Layers (lower never imports higher; see README "Architecture"):
reference -> store -> ingest -> nlp -> analytics -> charts -> pages.
"""

__version__ = "0.1.0"
