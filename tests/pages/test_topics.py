from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "4_Topics.py")


def test_distribution_passages_and_missing_evaluation(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2  # distribution and confidence
    assert "no evaluation report" in app.info[0].value
    text = "\n".join(m.value for m in app.markdown)
    assert "**Ghana**" in text  # a passage on legislation, with its score
    untopical = int(
        Database(small_db)
        .query(
            "select count(*) as n from v_passage where classified and len(topic_labels) = 0 "
            "and kind <> 'recommendation_list'"
        )["n"]
        .item()
    )
    assert untopical > 0  # the fixture has procedural text
    assert any(c.value.startswith(f"No topic: {untopical} classified") for c in app.caption)
    app.sidebar.multiselect[1].set_value(["legislation_frameworks"]).run()  # a topic filter
    assert any(c.value.startswith(f"No topic: {untopical} classified") for c in app.caption)


def test_a_topic_filter_narrows_the_chart_and_picks_the_passages_topic(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["topic"] = "legislation_frameworks"  # a shared link
    app.run()
    assert not app.exception
    assert app.selectbox(key="topics_topic").value == "legislation_frameworks"
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert {trace["name"] for trace in chart["data"]} == {"Legislation and frameworks"}
    # the vocabulary terms are highlighted where the matcher found them, in any wording
    text = "\n".join(m.value for m in app.markdown)
    assert ":orange-background[Cybercrime Act]" in text
    assert ":orange-background[illegal access to computer systems]" in text


def test_a_topic_filter_keeps_every_group_with_zero_where_it_has_none(small_db) -> None:
    from ieg_analysis.analytics.filters import Filters
    from ieg_analysis.analytics.topics import topic_distribution

    db = Database(small_db)
    every = topic_distribution(db, Filters())
    chosen = topic_distribution(db, Filters(topics=("prevention",)))
    assert set(chosen["group"]) == set(every["group"]) == {"4", "6"}
    assert set(chosen["topic"]) == {"prevention"}
    shares = dict(zip(chosen["group"], chosen["share"], strict=True))
    assert shares["4"] == 0 and shares["6"] > 0  # Ghana wrote nothing on prevention
    same = every[every["topic"] == "prevention"].reset_index(drop=True)
    assert chosen[same.columns].iloc[1:].reset_index(drop=True).equals(same)


def test_the_passages_topic_follows_a_later_topic_filter(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert app.selectbox(key="topics_topic").value == "legislation_frameworks"
    app.multiselect(key="f_topics").set_value(["prevention"]).run()
    assert not app.exception
    assert app.selectbox(key="topics_topic").value == "prevention"
    app.selectbox(key="topics_topic").set_value("criminalization").run()  # the user's pick
    assert app.selectbox(key="topics_topic").value == "criminalization"


def _scored_set(name: str, passages: int, topic: float, need: float, three: float) -> dict:
    """One scored set of an evaluation report, as ``ieg evaluate`` writes it."""
    return {
        "dataset": name,
        "passages": passages,
        "topics": {"macro_f1": topic},
        "capacity": {"macro_f1": three, "need_provision_macro_f1": need},
    }


def test_evaluation_report_and_region_grouping(small_db) -> None:
    report = {
        "passages": 10,
        "topics": {
            "macro_f1": 0.8496,  # shown as 0.8496, never rounded up to the 0.85 target
            "per_label": {
                "prevention": {"precision": 1.0, "recall": 0.5, "f1": 0.67, "support": 4}
            },
        },
        "capacity": {"macro_f1": 0.8, "need_provision_macro_f1": 0.75, "per_label": {}},
        "dataset": "heldout.jsonl",
        "other_sets": {"heldout_b.jsonl": _scored_set("heldout_b.jsonl", 12, 0.7, 0.55, 0.6)},
        "diagnostic_sets": {
            "documents.jsonl": _scored_set("documents.jsonl", 30, 0.7581, 0.5279, 0.66)
        },
        "calibration": {
            "topics": {
                "bins": [{"low": 0.5, "high": 0.6, "n": 3, "confidence": 0.55, "accuracy": 0.6}]
            }
        },
    }
    with Writer(Database(small_db)) as writer:
        writer.register_model("test-1", meta="{}", evaluation=json.dumps(report))
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Topic macro-F1"] == "0.8496"
    assert metrics["Need / offer macro-F1"] == "0.7500"
    sets = next(d.value for d in app.dataframe if "held-out set" in d.value.columns)
    assert sets["held-out set"].tolist() == ["heldout.jsonl", "heldout_b.jsonl"]
    assert sets["topic macro-F1"].tolist() == [0.8496, 0.7]
    diagnostic = next(d.value for d in app.dataframe if "diagnostic set" in d.value.columns)
    assert diagnostic["diagnostic set"].tolist() == ["documents.jsonl"]
    assert diagnostic["need / offer macro-F1"].tolist() == [0.5279]
    assert any("not one of the targets" in c.value for c in app.caption)
    assert app.dataframe[-1].value["label"].tolist() == ["Prevention"]  # names, not ids
    app.segmented_control[0].set_value("region").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 3


def test_unclassified_database_says_what_to_run(small_db) -> None:
    import duckdb

    con = duckdb.connect(str(small_db))
    con.execute("delete from model_version; delete from meta where key = 'model_version'")
    con.close()
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert "classify" in app.info[0].value
