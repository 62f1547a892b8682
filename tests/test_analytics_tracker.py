"""The work-plan tracker on hand-built dates: the deadline rule (three weeks before the
first day, read from data/reference/workplan.csv), on-time and late submissions per region
(a submission received on the deadline day is on time), and comments on the preliminary
recommendations before the stock-taking meeting."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.analytics.tracker import (
    LATE,
    NO_REGION,
    OBSERVERS,
    ON_TIME,
    UNDATED,
    comments_by_status,
    recommendation_comments_status,
    schedule,
    stocktaking_meeting,
    submissions_timeliness,
    timeliness,
)
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.reference import Reference
from ieg_analysis.settings import REFERENCE_DIR, Settings
from ieg_analysis.store.db import Database
from tests.factories import fake_classify

# meeting 4 opens on 2018-04-03: its deadline is 2018-03-13; meeting 7 (stock-taking)
# opens on 2021-04-06: 2021-03-16
DEADLINE_4 = date(2018, 3, 13)
SUBMISSIONS = [  # submitter, actor type, received
    ("Ghana", None, "2018-03-13"),  # on the deadline day: on time
    ("Nigeria", None, "2018-03-14"),  # one day late
    ("France", None, "2018-03-01"),
    ("Chile", None, None),  # no received date
    ("Holy See", None, "2018-03-10"),  # an observer State without a regional group
    ("UNODC Global Programme on Cybercrime", "unodc", "2018-03-20"),  # seven days late
]


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2018, 3, 12), ON_TIME),
        (DEADLINE_4, ON_TIME),  # the deadline day itself
        (date(2018, 3, 14), LATE),
        (None, UNDATED),
    ],
)
def test_timeliness_of_one_submission(received, expected) -> None:
    assert timeliness(received, DEADLINE_4) == expected


def test_deadline_is_three_weeks_before_the_first_day(reference) -> None:
    assert reference.deadline_days == 21
    assert reference.deadline(4) == DEADLINE_4
    assert reference.deadline(7) == date(2021, 3, 16)
    assert reference.deadline(6) == date(2020, 7, 6)  # the postponed sixth meeting


def test_the_rule_is_data(tmp_path) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    rules = pd.read_csv(folder / "workplan.csv")
    rules.loc[rules["rule"] == "submission_deadline_days_before_meeting", "value"] = 14
    rules.to_csv(folder / "workplan.csv", index=False)
    assert Reference(folder).deadline(4) == date(2018, 3, 20)


@pytest.fixture(scope="module")
def tracker_db(tmp_path_factory) -> Database:
    folder = tmp_path_factory.mktemp("tracker")
    settings = Settings(db_path=folder / "t.duckdb", model_dir=folder / "models")
    db = Database(settings.db_path)
    requests = [
        IngestRequest(
            name=f"{submitter}.csv",
            data=f"text\n{submitter} reports on its cybercrime law.\n".encode(),
            meeting=4,
            submitter=submitter,
            actor_type=actor_type,
            kind="written_submission",
            received=received,
        )
        for submitter, actor_type, received in SUBMISSIONS
    ]
    requests += [
        IngestRequest(  # a statement is delivered at the meeting: never late
            name="ghana-statement.csv",
            data=b"text\nGhana thanks the Chair.\n",
            meeting=4,
            submitter="Ghana",
            kind="statement",
            received="2018-04-04",
        ),
        IngestRequest(
            name="recs.csv",
            data=b"number,topic,text\n1,legislation_frameworks,States should review laws.\n"
            b"2,criminalization,States should criminalize ransomware.\n"
            b"3,legislation_frameworks,States should share laws.\n",
            meeting=4,
            submitter="UNODC Secretariat",
            actor_type="unodc",
            kind="recommendation_list",
        ),
    ]
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    outcome = [
        {
            "meeting": 4,
            "number": 1,
            "topic": "legislation_frameworks",
            "text": "x",
            "status": "adopted",
        },  # noqa: E501
        {
            "meeting": 4,
            "number": 3,
            "topic": "legislation_frameworks",
            "text": "y",
            "status": "merged",
            "merged_into": "4.1",
        },  # noqa: E501
    ]
    comments = [
        ("Chile", "2021-03-16", "4.1"),  # on the deadline day: on time
        ("France", "2021-03-20", "4.1"),  # late
        ("UNODC Global Programme on Cybercrime", "2021-03-01", "4.2"),
    ]
    report = ingest(
        db,
        [
            IngestRequest(
                name="outcome.json",
                data=json.dumps(outcome).encode(),
                meeting=7,
                submitter="UNODC Secretariat",
                actor_type="unodc",
                kind="recommendation_list",
            ),
            *[
                IngestRequest(
                    name=f"comment-{submitter}.csv",
                    data=f"recommendation,text\n{rec},{submitter} comments.\n".encode(),
                    meeting=7,
                    submitter=submitter,
                    kind="comment",
                    received=received,
                )
                for submitter, received, rec in comments
            ],
        ],
        settings=settings,
    )
    assert report.exit_code == 0, report.outcomes
    fake_classify(db)
    return db


def test_schedule_has_dates_topics_and_counts(tracker_db, reference) -> None:
    frame = schedule(tracker_db).set_index("meeting")
    assert list(frame.index) == sorted(reference.meetings)
    for number in reference.meetings:
        assert frame.loc[number, "submission_deadline"] == reference.deadline(number)
    four = frame.loc[4]
    assert four["topics"] == ["Legislation and frameworks", "Criminalization"]
    assert (four["written_submissions"], four["on_time"], four["late"], four["undated"]) == (
        6,
        3,
        2,
        1,
    )
    assert frame.loc[7, "topics"] == [] and frame.loc[7, "agenda"]
    assert frame.loc[7, "comments"] == 3 and frame.loc[7, "written_submissions"] == 0
    assert schedule(tracker_db, meetings=(7,))["meeting"].tolist() == [7]


def test_on_time_and_late_per_regional_group(tracker_db) -> None:
    frame = submissions_timeliness(tracker_db, Filters()).set_index("region")
    assert frame.index.tolist() == [
        "African",
        "Latin American and Caribbean",
        "Western European and other",
        NO_REGION,
        OBSERVERS,
    ]
    african = frame.loc["African"]
    assert (african["submissions"], african["on_time"], african["late"]) == (2, 1, 1)
    assert african["late_submitters"] == ["Nigeria"] and african["most_days_late"] == 1
    assert african["on_time_share"] == pytest.approx(0.5)
    assert frame.loc["Latin American and Caribbean", "undated"] == 1
    assert pd.isna(frame.loc["Latin American and Caribbean", "on_time_share"])
    assert frame.loc[OBSERVERS, "most_days_late"] == 7
    assert frame.loc[NO_REGION, "on_time"] == 1  # the Holy See
    assert frame["submissions"].sum() == 6  # the statement is not counted


def test_timeliness_follows_the_filters_and_the_region_scheme(tracker_db) -> None:
    africa = submissions_timeliness(tracker_db, Filters(regions=("African",)))
    assert africa["region"].tolist() == ["African"]
    # the kind filter is ignored: only written submissions can be late
    statements = submissions_timeliness(tracker_db, Filters(kinds=("statement",)))
    assert statements["submissions"].sum() == 6
    by_m49 = submissions_timeliness(tracker_db, Filters(region_scheme="m49_region"))
    assert set(by_m49["region"]) == {"Africa", "Americas", "Europe", OBSERVERS}
    assert submissions_timeliness(tracker_db, Filters(meetings=(5,))).empty


def test_comments_per_preliminary_recommendation_and_status(tracker_db) -> None:
    assert stocktaking_meeting(tracker_db) == 7
    frame = recommendation_comments_status(tracker_db).set_index("reference")
    assert frame.index.tolist() == ["4.1", "4.2", "4.3"]
    first = frame.loc["4.1"]
    assert (first["comments"], first["on_time"], first["late"]) == (2, 1, 1)
    assert first["commenter_names"] == ["Chile", "France"] and first["commenting_states"] == 2
    assert first["outcome"] == "Adopted"
    assert frame.loc["4.2", "outcome"] == "Pending" and frame.loc["4.2", "commenting_states"] == 0
    assert frame.loc["4.3", "merged_into"] == "4.1" and frame.loc["4.3", "comments"] == 0
    only = recommendation_comments_status(tracker_db, topics=("criminalization",))
    assert only["reference"].tolist() == ["4.2"]
    summary = comments_by_status(frame.reset_index()).set_index(["topic_id", "outcome"])
    assert summary.loc[("legislation_frameworks", "Adopted"), "comments"] == 2
    assert summary.loc[("legislation_frameworks", "Merged"), "with_comments"] == 0
    assert recommendation_comments_status(tracker_db, meeting=4).empty


def test_the_command_line_prints_the_tracker(tracker_db) -> None:
    import io

    from ieg_analysis.cli import main

    out = io.StringIO()
    assert main(["--db", str(tracker_db.path), "tracker", "--meeting", "4"], out=out) == 0
    text = out.getvalue()
    assert "2018-03-13" in text and "Nigeria" in text
