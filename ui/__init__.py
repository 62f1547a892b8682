"""Streamlit-side helpers shared by ``dashboard.py`` and ``pages/``: settings, the database
handle, first-run build, caching keyed on the data version, the sample banner.

This is the only package besides the pages that imports Streamlit.
"""
