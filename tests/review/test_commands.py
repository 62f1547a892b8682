"""`ieg review` and `ieg relabel` from the command line."""

from __future__ import annotations

import io
from pathlib import Path

from ieg_analysis.cli import main
from ieg_analysis.store.db import Database


def test_the_queue_and_a_relabel_from_the_command_line(small_db: Path, capsys) -> None:
    db = Database(small_db)
    bill = int(db.scalar("select id from passage where text like 'A bill on procedural%'"))
    out = io.StringIO()
    assert main(["--db", str(small_db), "review", "--mode", "disagree"], out=out) == 0
    assert f"passage {bill} (en; closest call: " in out.getvalue()  # in words, as on the page
    assert "heading says legislation_frameworks" in out.getvalue()
    args = ["--db", str(small_db), "relabel", str(bill), "--capacity", "none"]
    assert main([*args, "--topics", "legislation_frameworks,nonsense"]) == 2
    assert "'nonsense' is not a work-plan topic." in capsys.readouterr().err
    out = io.StringIO()
    assert main([*args, "--topics", "legislation_frameworks", "--note", "heading"], out=out) == 0
    assert db.scalar("select topic from v_passage where passage_id = ?", [bill]) == (
        "legislation_frameworks"
    )
    user = db.scalar("select user_name from audit_log order by id desc limit 1")
    assert user.startswith("local operator")
    out = io.StringIO()
    assert main(["--db", str(small_db), "review", "--mode", "disagree"], out=out) == 0
    assert out.getvalue().strip() == "No passage waits for review in this queue."
