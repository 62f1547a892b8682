"""Ingestion: files (PDF, DOCX, TXT/MD, CSV/JSON) to clean passages with provenance.

``readers`` turn bytes into blocks of text, ``segment`` turns blocks into passages,
``language`` tags each passage, ``metadata`` resolves who sent what for which meeting, and
``pipeline`` validates whole files first and hands them to the store's writer.
"""
