"""Exports: tables (CSV, XLSX) now; chart packs and compilations later."""
