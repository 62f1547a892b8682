"""The limits: upload size (Streamlit's and the ingester's), per-document caps, the read
gateway's time limit and row cap, and the gate's bounded wait."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
import tomllib

import pytest

from ieg_analysis.errors import DatabaseBusyError
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import REPO_ROOT, load_settings
from ieg_analysis.store.db import Database, QueryTimeoutError
from ieg_analysis.store.writer import Writer

TEXT = "\n\n".join(f"{i}. Paragraph {i} about electronic evidence." for i in range(1, 6))


def _one(db, settings, data: bytes, name: str = "a.txt"):
    request = IngestRequest(
        name=name, data=data, meeting=5, submitter="Ghana", kind="written_submission"
    )
    return ingest(db, [request], settings=settings).outcomes[0]


def test_upload_limits_agree() -> None:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == load_settings(environ={}).max_upload_mb == 50


def test_the_ingester_enforces_its_own_size_limit(db, settings) -> None:
    outcome = _one(db, settings, TEXT.encode() + b" " * (2 * 1_048_576))
    assert outcome.status == "refused" and "over the 2 MB limit" in outcome.message


def test_per_document_passage_and_character_caps(db, settings) -> None:
    few = dataclasses.replace(settings, max_passages_per_document=3)
    outcome = _one(db, few, TEXT.encode())
    assert outcome.status == "refused" and "5 passages, over the limit of 3" in outcome.message
    short = dataclasses.replace(settings, max_chars_per_document=100)
    outcome = _one(db, short, TEXT.encode())
    assert outcome.status == "refused" and "over the limit of 100" in outcome.message
    assert db.scalar("select count(*) from document") == 0


def test_the_gateway_caps_rows_and_stops_slow_queries(tmp_path) -> None:
    db = Database(tmp_path / "q.duckdb", row_cap=7, timeout_s=0.3)
    assert len(db.query("select * from range(1000000)")) == 7
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError):
        db.query(
            "select count(*) from range(100000000000) a, range(1000) b where a.range > b.range"
        )
    assert time.perf_counter() - started < 10


def test_a_reader_waits_for_a_writer_and_then_sees_its_commit(db, reference) -> None:
    with Writer(db) as writer:
        writer.sync_reference(reference)
    seen: list[int] = []

    def read() -> None:
        seen.append(int(db.scalar("select count(*) from meta where key = 'probe'")))

    with Writer(db) as writer:
        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.3)
        assert not seen  # held at the gate, not failing
        writer.set_meta("probe", "1")
    reader.join(10)
    assert seen == [1]


def test_the_wait_is_bounded(db, reference) -> None:
    impatient = Database(db.path, busy_wait_s=0.2)
    with Writer(db):
        outcome: list[BaseException] = []
        thread = threading.Thread(target=lambda: _try(impatient, outcome))
        thread.start()
        thread.join(10)
    assert isinstance(outcome[0], DatabaseBusyError)
    assert "in use by another writer" in str(outcome[0])


def _try(db: Database, outcome: list) -> None:
    try:
        db.scalar("select 1")
    except BaseException as error:  # noqa: BLE001 - handed to the test thread
        outcome.append(error)


@pytest.mark.parametrize("content", [b"", b"not a database " * 4096])
def test_a_damaged_database_file_is_named_as_such_not_as_busy(tmp_path, capsys, content) -> None:
    from ieg_analysis.cli import main
    from ieg_analysis.errors import DatabaseUnreadableError

    path = tmp_path / "damaged.duckdb"
    path.write_bytes(content)  # an empty file too: a copy that failed
    with pytest.raises(DatabaseUnreadableError, match="not a DuckDB database file"):
        Database(path).scalar("select 1")
    assert main(["--db", str(path), "classify"]) != 0
    error = capsys.readouterr().err.strip()
    # the command line takes an empty file for no database at all
    expected = "cannot be opened" if content else "There is no database"
    assert expected in error and "\n" not in error
    assert "in use by another writer" not in error
    assert path.read_bytes() == content  # left as it was


def test_only_a_lock_error_is_taken_for_a_busy_database() -> None:
    from ieg_analysis.errors import DatabaseUnreadableError
    from ieg_analysis.store.db import _LOCK_ERROR

    assert _LOCK_ERROR.search('IO Error: Could not set lock on file "x.duckdb": Conflicting lock')
    assert not _LOCK_ERROR.search("Corrupt database file: checksum does not match in block 7")
    message = str(DatabaseUnreadableError("x.duckdb", "IO Error: Trying to read a file of\nv68."))
    assert message == "The database x.duckdb cannot be opened: Trying to read a file of."


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"IEG_MAX_UPLOAD_MB": "abc"},
            "The setting IEG_MAX_UPLOAD_MB is 'abc'; it must be a positive integer up to "
            "2,147,483,647.",
        ),
        ({"IEG_MAX_PASSAGES": "0"}, "IEG_MAX_PASSAGES is '0'"),
        ({"IEG_QUERY_TIMEOUT_S": "nan"}, "it must be a positive number up to"),
        ({"IEG_QUERY_TIMEOUT_S": "1e300"}, "IEG_QUERY_TIMEOUT_S is '1e300'"),  # a timer's limit
        ({"IEG_QUERY_ROW_CAP": "99999999999999999999"}, "IEG_QUERY_ROW_CAP is"),
    ],
)
def test_a_bad_setting_is_one_sentence(environ: dict, expected: str) -> None:
    from ieg_analysis.settings import SettingsError

    with pytest.raises(SettingsError, match=re.escape(expected)):
        load_settings(environ=environ)
    assert load_settings(environ={"IEG_MAX_UPLOAD_MB": " 7 "}).max_upload_mb == 7


def test_a_bad_setting_in_secrets_names_its_key(tmp_path) -> None:
    from ieg_analysis.settings import SettingsError

    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[ieg]\nmax_upload_mb = "abc"\n')
    with pytest.raises(SettingsError, match=re.escape("max_upload_mb in .streamlit/secrets.toml")):
        load_settings(environ={}, root=tmp_path)
