"""The layering of DESIGN.md, enforced: lower layers never import higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ieg_analysis"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                parts = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
    return names


def _modules(subpackage: str = "") -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_package_imports_streamlit(path: Path) -> None:
    assert not any(name.split(".")[0] == "streamlit" for name in _imports(path))


@pytest.mark.parametrize("path", _modules("charts"), ids=lambda p: str(p.relative_to(ROOT)))
def test_charts_never_touch_the_database(path: Path) -> None:
    imports = _imports(path)
    assert not any(name.split(".")[0] == "duckdb" for name in imports)
    assert not any(name.startswith("ieg_analysis.store") for name in imports)


@pytest.mark.parametrize(
    "path",
    _modules("store") + [PACKAGE / "reference.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_store_and_reference_know_nothing_of_nlp_analytics_or_charts(path: Path) -> None:
    imports = _imports(path)
    forbidden = (
        "spacy",
        "ieg_analysis.nlp",
        "ieg_analysis.analytics",
        "ieg_analysis.charts",
        "ieg_analysis.ingest",
    )
    assert not [name for name in imports if name.startswith(forbidden)]


@pytest.mark.parametrize(
    "path",
    [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))],
    ids=lambda p: p.name,
)
def test_pages_hold_no_sql_and_no_nlp(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    imports = _imports(path)
    assert not any(name.split(".")[0] in ("duckdb", "spacy") for name in imports)
    assert not any(name.startswith(("ieg_analysis.store", "ieg_analysis.nlp")) for name in imports)
    for keyword in ("select ", "insert into", " from passage", "create table"):
        assert keyword not in text


def test_charts_load_no_database_layer_even_indirectly() -> None:
    # a direct-import check misses a chart importing an analytics module (which loads the
    # store and DuckDB); a fresh interpreter tells
    import subprocess
    import sys

    modules = [
        "ieg_analysis.charts." + path.stem for path in _modules("charts") if path.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('duckdb', 'ieg_analysis.store', 'ieg_analysis.analytics') "
        "if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
