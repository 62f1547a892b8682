from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT


def test_overview_shows_counts_timeline_and_provenance(small_db) -> None:
    app = AppTest.from_file(str(ROOT / "pages" / "0_Overview.py"), default_timeout=60).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Documents"] == "3"
    assert metrics["Recommendations"] == "2"
    assert metrics["Submitting States"] == "2"
    assert len(app.get("plotly_chart")) == 2
    table = app.dataframe[0].value
    assert table.loc[table["meeting"] == 4, "documents"].item() == 1
    assert table.loc[table["meeting"] == 6, "late_documents"].item() == 1  # due 6 July
    assert table.loc[table["meeting"] == 4, "explore"].item() == "explorer?meeting=4"
    assert table.loc[table["meeting"] == 5, "explore"].item() == ""  # nothing to open
    assert not app.warning  # real documents: no sample banner
    provenance = next(md.value for md in app.markdown if "**Database:**" in md.value)
    assert f"`{small_db.name}`" in provenance  # the file, not the server's folders
    assert str(small_db.parent) not in provenance


def test_overview_of_an_empty_database_says_what_to_do(tmp_path, monkeypatch) -> None:
    import streamlit as st

    from ieg_analysis.sample.database import create_database
    from ieg_analysis.settings import Settings

    path = tmp_path / "empty.duckdb"
    create_database(path, Settings(db_path=path, model_dir=tmp_path), sample=False)
    monkeypatch.setenv("IEG_DB", str(path))
    st.cache_resource.clear()
    app = AppTest.from_file(str(ROOT / "pages" / "0_Overview.py"), default_timeout=60).run()
    assert not app.exception
    assert "database is empty" in app.info[0].value
    st.cache_resource.clear()


def test_a_bad_setting_is_one_sentence_on_the_page(small_db, monkeypatch) -> None:
    import streamlit as st

    monkeypatch.setenv("IEG_MAX_UPLOAD_MB", "abc")
    st.cache_resource.clear()
    app = AppTest.from_file(str(ROOT / "pages" / "0_Overview.py"), default_timeout=60).run()
    assert not app.exception
    assert app.error[0].value.startswith("The setting IEG_MAX_UPLOAD_MB is 'abc'")
    st.cache_resource.clear()


def test_the_entry_point_routes_to_the_overview(small_db) -> None:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not app.exception
    assert app.title[0].value == "IEG Analysis: Overview"


def test_passages_of_a_sample_store_are_tagged_one_by_one() -> None:
    from dataclasses import replace

    from ieg_analysis.analytics.overview import DataSource
    from ui.common import sample_tag

    real = DataSource("db.duckdb", 10, 90, 3, 0, 5, 4, 0, None, 1)
    assert sample_tag(real) == ""
    assert sample_tag(replace(real, sample_documents=10)) == " · illustrative sample text"
    mixed = replace(real, sample_documents=4)  # mixed: each passage by its own document
    assert sample_tag(mixed) == ""
    assert sample_tag(mixed, is_sample=True) == " · illustrative sample text"
    assert sample_tag(real, is_sample=True) == ""  # no sample document: nothing to tag


def test_a_store_mixing_real_and_sample_documents_says_so(small_db) -> None:
    from ieg_analysis.store.db import Database
    from ieg_analysis.store.writer import Writer

    with Writer(Database(small_db)) as writer:
        writer.con.execute("update document set is_sample = true where id = 1")
    app = AppTest.from_file(str(ROOT / "pages" / "0_Overview.py"), default_timeout=60).run()
    assert not app.exception
    assert "Partly illustrative sample data" in app.warning[0].value
    assert "1 of the documents" in app.warning[0].value


def test_a_table_download_gives_the_last_ingest_to_the_minute_in_utc() -> None:
    import pandas as pd

    from ieg_analysis.analytics.overview import DataSource
    from ui.common import provenance

    source = DataSource(
        path="/srv/ieg.duckdb",
        documents=1,
        passages=1,
        recommendations=0,
        comments=0,
        submitters=1,
        states=1,
        sample_documents=0,
        last_ingest=pd.Timestamp("2026-12-07 21:51:56.251395"),
        data_version=3,
    )
    assert provenance(source, "all")["last ingest"] == "2026-12-07 21:51 UTC"
