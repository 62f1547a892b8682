"""Every chart of the analysis pages, by name: the analytics call, the chart builder (the
same functions the pages use, never copies) and a human title, driven by ``Filters`` and
the chart's own options. The briefing page and ``ieg export`` both build charts here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from ..analytics import capacity, matching, overview, recommendations, topics, tracker
from ..analytics.filters import NO_FILTERS_TEXT, Filters
from ..charts import capacity as capacity_charts
from ..charts import matching as matching_charts
from ..charts import overview as overview_charts
from ..charts import recommendations as recommendation_charts
from ..charts import topics as topic_charts
from ..charts import tracker as tracker_charts
from ..reference import REGION_SCHEMES, load_reference
from ..store.db import Database
from .errors import ChartOptionError, UnknownChartError

ALL = ("meetings", "topics", "regions", "states", "actor_types", "kinds", "languages")
TOPOJSON_URL = "/app/static/"  # what the page serves; image export passes the file itself
VALUE_LABELS = {
    "share_states": "% of submitting States",
    "states": "States (count)",
    "passages": "Passages (count)",
}


@dataclass(frozen=True)
class Option:
    """A chart-specific choice, e.g. the measure of the capacity heatmap."""

    name: str
    label: str
    choices: Mapping[str, str]  # value -> words
    default: str


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    page: str
    dimensions: tuple[str, ...]  # the filters the chart honours; the others are cleared
    data: Callable[[Database, Filters, Mapping[str, str]], pd.DataFrame]
    figure: Callable[[pd.DataFrame, Filters, Mapping[str, str]], go.Figure]
    empty: Callable[[pd.DataFrame], str | None]  # why there is nothing to show, or None
    options: tuple[Option, ...] = ()
    default_options: Callable[[Database, Filters], dict[str, str]] = field(
        default=lambda db, filters: {}
    )
    # the title for the chosen options, when they change what the chart is about
    title_for: Callable[[Mapping[str, str]], str] | None = None


@dataclass(frozen=True)
class ChartResult:
    name: str
    title: str
    figure: go.Figure
    data: pd.DataFrame
    filters: Filters
    filters_text: str
    options: dict[str, str]
    empty_message: str | None

    @property
    def is_empty(self) -> bool:
        return self.empty_message is not None


def _topics() -> dict[str, str]:
    reference = load_reference()
    ordered = sorted(reference.topics.values(), key=lambda t: t.ordinal)
    return {t.id: t.label for t in ordered}


def _topic_option(*, with_all: bool) -> Option:
    choices = ({"all": "All work-plan topics"} if with_all else {}) | _topics()
    return Option("topic", "Topic", choices, "all" if with_all else next(iter(choices)))


def _when_empty(message: str) -> Callable[[pd.DataFrame], str | None]:
    return lambda frame: message if frame.empty else None


def _coverage_empty(frame: pd.DataFrame) -> str | None:
    if frame.empty or int(frame["passages_in_view"].iloc[0]) == 0:
        return "no submission passages match the filters."
    if int(frame["passages_labelled"].iloc[0]) == 0:
        return "the submission passages carry no topic labels yet (run the classifier)."
    if int(frame["recommendations"].sum()) == 0:
        return "no recommendation was listed at the chosen meetings."
    return None


def _gaps_default(db: Database, filters: Filters) -> dict[str, str]:
    """Like the page: the filtered topic, else the one on the agenda with the lowest
    coverage ratio."""
    if filters.topics:
        return {"topic": filters.topics[0]}
    topic = recommendations.least_covered_topic(recommendations.coverage(db, filters))
    return {} if topic is None else {"topic": topic}


def _calibration_data(db: Database, filters: Filters, options: Mapping[str, str]) -> pd.DataFrame:
    report = topics.model_report(db)
    evaluation = (report or {}).get("evaluation") or {}
    bins = evaluation.get("calibration", {}).get("topics", {}).get("bins", [])
    return pd.DataFrame(bins)


def _meetings() -> dict[str, str]:
    return {str(n): m.name for n, m in sorted(load_reference().meetings.items())}


def _timeliness_default(db: Database, filters: Filters) -> dict[str, str]:
    """The last of the filters' meetings, else the last meeting with written submissions."""
    if filters.meetings:
        return {"meeting": str(max(filters.meetings))}
    timely = tracker.submissions_timeliness(db, filters)
    return {"meeting": str(int(timely["meeting"].max()))} if len(timely) else {}


def _timeliness_data(db: Database, filters: Filters, options: Mapping[str, str]) -> pd.DataFrame:
    timely = tracker.submissions_timeliness(db, filters)
    return timely[timely["meeting"] == int(options["meeting"])].reset_index(drop=True)


_MEASURE = Option(
    "measure",
    "Measure",
    {key: label.capitalize() for key, label in capacity.MEASURES.items()},
    "need",
)
_VALUE = Option("value", "Value", dict(capacity.VALUES), "share_states")


CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for spec in (
        ChartSpec(
            name="overview.timeline",
            title="Work plan: meetings, submission deadlines and topics",
            page="Overview",
            dimensions=(),
            data=lambda db, f, o: overview.workplan(db),
            figure=lambda df, f, o: overview_charts.workplan_timeline(df),
            empty=_when_empty("no meetings in the reference data."),
        ),
        ChartSpec(
            name="overview.submissions",
            title="Documents received per meeting",
            page="Overview",
            dimensions=(),
            data=lambda db, f, o: overview.meeting_counts(db),
            figure=lambda df, f, o: overview_charts.submissions_per_meeting(df),
            empty=lambda df: None if (df["documents"] > 0).any() else "no submissions stored yet.",
        ),
        ChartSpec(
            name="capacity.heatmap",
            title="Capacity-building needs by region and work-plan topic",
            page="Capacity-building needs",
            dimensions=ALL,
            options=(_MEASURE, _VALUE),
            data=lambda db, f, o: capacity.needs_matrix(
                db, f, value=o["value"], measure=o["measure"]
            ),
            figure=lambda df, f, o: capacity_charts.needs_heatmap(
                df,
                value_label=VALUE_LABELS[o["value"]],
                region_label=REGION_SCHEMES[f.region_column],
            ),
            empty=_when_empty("no State submitted anything."),
        ),
        ChartSpec(
            name="capacity.map",
            title="Need intensity per State (world map)",
            page="Capacity-building needs",
            dimensions=tuple(d for d in ALL if d != "topics"),
            options=(_topic_option(with_all=True),),
            default_options=lambda db, f: {"topic": f.topics[0]} if f.topics else {},
            data=lambda db, f, o: capacity.state_need_intensity(
                db, f, None if o["topic"] == "all" else o["topic"]
            ),
            figure=lambda df, f, o: capacity_charts.need_map(
                df,
                topic_label=_topic_option(with_all=True).choices[o["topic"]],
                topojson_url=TOPOJSON_URL,
            ),
            empty=_when_empty("no State submitted anything."),
        ),
        ChartSpec(
            name="matching.providers",
            title="Who offers what the needs ask for",
            page="Needs and offers",
            dimensions=ALL,
            options=(
                Option(
                    "per_need",
                    "Offers listed per need",
                    {str(n): str(n) for n in (1, 2, 3, 5, 10)},
                    "3",
                ),
                Option(
                    "offers",
                    "Offers drawn",
                    {"listed": "Every offer listed", "best": "Only the best offer of each need"},
                    "listed",
                ),
            ),
            data=lambda db, f, o: matching.match_flows(
                db, f, per_need=int(o["per_need"]), best_only=o["offers"] == "best"
            ),
            figure=lambda df, f, o: matching_charts.providers_sankey(
                df, region_label=REGION_SCHEMES[f.region_column]
            ),
            empty=_when_empty("no offer matches a need."),
        ),
        ChartSpec(
            name="tracker.timeliness",
            title="Written submissions on time and late, per region",
            page="Work-plan tracker",
            dimensions=tuple(d for d in ALL if d != "kinds"),
            options=(Option("meeting", "Meeting", _meetings(), "7"),),
            default_options=_timeliness_default,
            title_for=lambda o: (
                f"{_meetings()[o['meeting']]}: written submissions on time and late"
            ),
            data=_timeliness_data,
            figure=lambda df, f, o: tracker_charts.timeliness_bars(
                df,
                meeting_label=_meetings()[o["meeting"]].lower(),
                region_label=REGION_SCHEMES[f.region_column],
            ),
            empty=_when_empty("no written submission for the meeting."),
        ),
        ChartSpec(
            name="recommendations.outcomes",
            title="Preliminary recommendations per topic and their stock-taking outcome",
            page="Recommendation coverage",
            dimensions=("meetings", "topics"),
            data=lambda db, f, o: recommendations.outcomes_by_topic(
                db, meetings=f.meetings, topics=f.topics
            ),
            figure=lambda df, f, o: recommendation_charts.outcomes_bar(df),
            empty=_when_empty("no recommendation in the chosen meetings and topics."),
        ),
        ChartSpec(
            name="recommendations.coverage",
            title="Coverage: share of recommendations vs share of submission passages",
            page="Recommendation coverage",
            dimensions=("meetings", "regions", "states", "actor_types", "languages"),
            options=(
                Option(
                    "counted",
                    "Recommendations counted",
                    {"all": "All listed", "standing": "Still standing (adopted or pending)"},
                    "all",
                ),
            ),
            data=lambda db, f, o: recommendations.coverage(
                db, f, statuses=("adopted", "preliminary") if o["counted"] == "standing" else ()
            ),
            figure=lambda df, f, o: recommendation_charts.coverage_chart(df),
            empty=_coverage_empty,
        ),
        ChartSpec(
            name="recommendations.gaps",
            title="Sub-themes raised in submissions but rare in recommendations",
            page="Recommendation coverage",
            dimensions=("meetings", "regions", "states", "actor_types", "languages"),
            options=(
                _topic_option(with_all=False),
                Option(
                    "vocabulary",
                    "Vocabulary",
                    {"own": "The topic's own terms", "all": "Terms of every topic"},
                    "own",
                ),
            ),
            default_options=_gaps_default,
            data=lambda db, f, o: recommendations.subtheme_gaps(
                db, f, o["topic"], own_vocabulary=o["vocabulary"] == "own"
            ),
            figure=lambda df, f, o: recommendation_charts.gaps_chart(
                df, topic=_topics()[o["topic"]]
            ),
            empty=_when_empty("no sub-theme is raised in submissions and rare in recommendations."),
        ),
        ChartSpec(
            name="topics.distribution",
            title="Passages on each work-plan topic",
            page="Topics and the model",
            dimensions=tuple(d for d in ALL if d != "topics"),
            options=(Option("by", "Compare by", dict(topics.GROUPINGS), "meeting"),),
            data=lambda db, f, o: topics.topic_distribution(db, f, o["by"]),
            figure=lambda df, f, o: topic_charts.topic_distribution_chart(
                df,
                topic_labels=_topics(),
                group_label="Meeting" if o["by"] == "meeting" else REGION_SCHEMES[f.region_column],
            ),
            empty=_when_empty("no classified passages match the filters."),
        ),
        ChartSpec(
            name="topics.confidence",
            title="How sure the model is",
            page="Topics and the model",
            dimensions=ALL,
            data=lambda db, f, o: topics.confidence_distribution(db, f),
            figure=lambda df, f, o: topic_charts.confidence_histogram(df),
            empty=_when_empty("no classified passages match the filters."),
        ),
        ChartSpec(
            name="topics.calibration",
            title="Topic scores: stated confidence vs share right (held-out set)",
            page="Topics and the model",
            dimensions=(),
            data=_calibration_data,
            figure=lambda df, f, o: topic_charts.calibration_chart(
                df.to_dict("records"), title="Topic scores: stated confidence vs share right"
            ),
            empty=_when_empty("the current model has no evaluation report."),
        ),
    )
}


def chart_spec(name: str) -> ChartSpec:
    if name not in CHARTS:
        raise UnknownChartError(name, list(CHARTS))
    return CHARTS[name]


def effective_filters(spec: ChartSpec, filters: Filters) -> Filters:
    """The filters with the dimensions the chart does not honour cleared, so that the
    provenance never claims a filter the chart ignored."""
    ignored = [d for d in ALL if d not in spec.dimensions]
    return filters.without(*ignored) if ignored else filters


def resolve_options(
    spec: ChartSpec, db: Database, filters: Filters, options: Mapping[str, object] | None
) -> dict[str, str]:
    """The chart's options: the given ones checked, the others from its defaults."""
    given = {str(k): str(v) for k, v in (options or {}).items() if v is not None}
    known = {option.name: option for option in spec.options}
    for key, value in given.items():
        if key not in known:
            names = ", ".join(known) or "none"
            raise ChartOptionError(
                f"The chart {spec.name} has no option '{key}'; its options are {names}."
            )
        if value not in known[key].choices:
            raise ChartOptionError(
                f"'{value}' is not a {known[key].label.lower()} of {spec.name}; use one of "
                f"{', '.join(known[key].choices)}."
            )
    missing = [name for name in known if name not in given]
    derived = spec.default_options(db, filters) if missing else {}
    return {
        name: given.get(name) or derived.get(name) or option.default
        for name, option in known.items()
    }


def describe(
    spec: ChartSpec,
    filters: Filters,
    options: Mapping[str, str],
    requested: Filters | None = None,
) -> str:
    """The filters and the chart's options in words (the provenance's "filters").
    ``filters`` are the ones the chart honours; when ``requested`` (those asked for, e.g. a
    briefing pack's) set others, the words say that this chart ignores them."""
    reference = load_reference()
    words = filters.describe(reference)
    asked = requested or Filters()
    ignored = [d for d in ALL if d not in spec.dimensions and getattr(asked, d)]
    if ignored:
        left_out = asked.without(*(d for d in ALL if d not in ignored)).describe(reference)
        them = "them" if len(ignored) > 1 else "it"
        words = ("" if words == NO_FILTERS_TEXT else words + "; ") + (
            f"not filtered by {left_out} (this chart ignores {them})"
        )
    if filters.region_scheme != "regional_group" and "regions" in spec.dimensions:
        words += f"; regions by {REGION_SCHEMES[filters.region_column]}"
    shown = [
        f"{option.label.lower()}: {option.choices[options[option.name]]}" for option in spec.options
    ]
    return words + (f" ({'; '.join(shown)})" if shown else "")


def build_chart(
    db: Database,
    name: str,
    filters: Filters | None = None,
    options: Mapping[str, object] | None = None,
) -> ChartResult:
    """The chart ``name`` under ``filters``: its figure (built by the page's builder), the
    data behind it, and whether it has anything to show."""
    spec = chart_spec(name)
    scoped = effective_filters(spec, filters or Filters())
    chosen = resolve_options(spec, db, scoped, options)
    data = spec.data(db, scoped, chosen)
    return ChartResult(
        name=spec.name,
        title=spec.title_for(chosen) if spec.title_for else spec.title,
        figure=spec.figure(data, scoped, chosen),
        data=data,
        filters=scoped,
        filters_text=describe(spec, scoped, chosen, requested=filters),
        options=chosen,
        empty_message=spec.empty(data),
    )
