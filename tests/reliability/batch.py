"""A batch of small text submissions with a manifest, the CLI run as another process, and the
integrity check every reliability test ends with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ieg_analysis.store.db import Database

ROOT = Path(__file__).resolve().parents[2]
STATES = ["Ghana", "Chile", "France", "Japan", "Kenya", "Brazil", "Canada", "India", "Peru"]
SENTENCES = [
    "Member States should criminalize unauthorized access to computer systems.",
    "Law enforcement needs training in the handling of electronic evidence.",
    "International cooperation requires faster mutual legal assistance.",
    "Prevention campaigns raise public awareness of online fraud.",
]


def write_batch(folder: Path, n: int, *, paragraphs: int = 40) -> Path:
    """``n`` distinct TXT submissions and a manifest naming them; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["path,meeting,submitter,kind,received"]
    for i in range(n):
        text = "\n\n".join(
            f"{j + 1}. Submission {i}, paragraph {j}: {SENTENCES[(i + j) % len(SENTENCES)]}"
            for j in range(paragraphs)
        )
        (folder / f"doc{i:03}.txt").write_text(text, encoding="utf-8")
        rows.append(f"doc{i:03}.txt,5,{STATES[i % len(STATES)]},written_submission,2019-03-01")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def cli(db_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ieg_analysis", "--db", str(db_path), *args]


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEG_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_cli(db_path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        cli(db_path, *args), env=cli_env(), capture_output=True, text=True, timeout=timeout
    )


def integrity(db_path: Path) -> tuple[int, int]:
    """(documents stored, documents whose passages do not match their n_passages)."""
    db = Database(db_path)
    frame = db.query(
        "select d.id, d.n_passages, count(p.id) as stored from document d "
        "left join passage p on p.document_id = d.id group by d.id, d.n_passages"
    )
    partial = int((frame["n_passages"] != frame["stored"]).sum())
    orphans = db.scalar(
        "select count(*) from passage p where not exists "
        "(select 1 from document d where d.id = p.document_id)"
    )
    duplicates = db.scalar("select count(*) - count(distinct content_hash) from document")
    return len(frame), partial + int(orphans) + int(duplicates)
