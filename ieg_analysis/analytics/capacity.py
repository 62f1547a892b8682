"""Capacity-building needs: which needs are most pressing, in which regions and on which
work-plan topic, and who already offers help (the question of UNODC programme staff).

Definitions shared by every function here:

- A *passage* counts when it comes from a written submission, statement or comment.
  Recommendation lists are the Rapporteur's compilation, not anyone's own need or offer,
  so they are left out whatever the document-kind filter says.
- A *need* is a passage whose capacity label is ``need``; an *offer* one labelled
  ``provision`` (the labels of the current model version, see ``v_passage``).
- A passage is *on a topic* when the topic is among its ``topic_labels`` (a passage can be
  on several topics; need passages without any topic appear in no region-topic cell).
- A *State* is a submitter of type Member State or observer State; only States have a
  region. Regions follow ``filters.region_column`` (UN regional group, M49 region or
  sub-region); a State without a region in that scheme (the Holy See has no regional group)
  is left out of regional views.
- *States submitting* in a region: distinct States of the region with at least one
  passage under the filters (topic filter ignored, since topics are an axis of their own).
- The *gap* of a region-topic cell: the needs of the cell when no State of the same region
  made any offer on the same topic under the filters (the State filter is ignored on the
  offer side, so that an offer from a neighbour counts); zero otherwise. A gap cell is
  therefore either all of its needs or nothing. Observers have no region, so their offers
  never close a gap: they are listed by :func:`providers`.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InvalidValueError, UnknownTopicError
from ..records import TOPIC_IDS
from ..reference import REGION_SCHEMES
from ..store.db import Database
from ..store.facts import cube_source, passage_rows, passage_source, with_texts
from .filters import Filters

VALUES = {
    "share_states": "Share of submitting States",
    "states": "States",
    "passages": "Passages",
}
# "gap": needs on a topic that no State of the same region offers help on (offers of UNODC,
# observers and other regions do not count here; the Needs and offers page counts them all)
MEASURES = {
    "need": "needs",
    "provision": "offers",
    "gap": "needs without an offer from the region",
}
# the topic score columns of v_passage (fixed by the schema, never from user input)
TOPIC_COLUMNS = TOPIC_IDS
STATE_TYPES = ("member_state", "observer_state")


def _check(value: str, allowed: dict[str, str] | tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InvalidValueError(f"'{value}' is not a {what}; use one of {', '.join(allowed)}.")


def _check_topic(topic: str) -> None:
    if topic not in TOPIC_COLUMNS:
        raise UnknownTopicError(topic, list(TOPIC_COLUMNS))


def _region(filters: Filters) -> str:
    column = filters.region_column
    assert column in REGION_SCHEMES  # an identifier from a fixed list, never user text
    return column


def _scoped(filters: Filters, alias: str = "p") -> tuple[str, list]:
    """The filter predicate plus the capacity scope (no recommendation lists)."""
    where, params = filters.where(alias)
    return f"{alias}.kind <> 'recommendation_list' and ({where})", params


def _cells_sql(filters: Filters, source: str) -> tuple[str, list]:
    """CTEs over ``source`` (passage counts: ``cube_source``) ending in ``cells``: one row
    per (region, topic) of the regions with submitting
    States, with needs, offers and the gap. Shared by the matrix and the priority table."""
    region = _region(filters)
    need_where, need_params = _scoped(filters.without("topics"))
    offer_where, offer_params = _scoped(filters.without("topics", "states"))
    sql = f"""
    with state_passages as (  -- passage counts of States with a region, need side
        select p.country_iso3, p.country_name, p.topic_labels, p.capacity_label, p.n,
            nullif(p.{region}, '') as region
        from {source} p
        where {need_where} and p.actor_type in ('member_state', 'observer_state')
          and nullif(p.{region}, '') is not null
    ),
    region_offer_passages as (  -- offers of the region's States, State filter ignored
        select p.topic_labels, p.n, nullif(p.{region}, '') as region
        from {source} p
        where {offer_where} and p.actor_type in ('member_state', 'observer_state')
          and nullif(p.{region}, '') is not null and p.capacity_label = 'provision'
    ),
    submitting as (  -- one row per region: distinct States with any passage
        select region, count(distinct country_iso3) as states_submitting
        from state_passages group by region
    ),
    needs as (  -- one row per (region, topic) with needs
        select region, t.topic_id,
            count(distinct country_iso3) as need_states,
            cast(sum(n) as bigint) as need_passages,
            list_sort(list(distinct country_name)) as need_state_names
        from state_passages, unnest(topic_labels) as t(topic_id)
        where capacity_label = 'need'
        group by region, t.topic_id
    ),
    offers as (  -- one row per (region, topic) with offers by the filtered States
        select region, t.topic_id,
            count(distinct country_iso3) as offer_states,
            cast(sum(n) as bigint) as offer_passages,
            list_sort(list(distinct country_name)) as offer_state_names
        from state_passages, unnest(topic_labels) as t(topic_id)
        where capacity_label = 'provision'
        group by region, t.topic_id
    ),
    region_offers as (  -- one row per (region, topic) with offers by any State of the region
        select region, t.topic_id, cast(sum(n) as bigint) as region_offer_passages
        from region_offer_passages, unnest(topic_labels) as t(topic_id)
        group by region, t.topic_id
    ),
    cells as (  -- one row per (region with submitting States, work-plan topic)
        select
            s.region, t.id as topic_id, t.label as topic_label,
            t.short_label as topic_short_label, t.ordinal as topic_ordinal,
            s.states_submitting,
            coalesce(n.need_states, 0) as need_states,
            coalesce(n.need_passages, 0) as need_passages,
            coalesce(n.need_state_names, []::varchar[]) as need_state_names,
            coalesce(o.offer_states, 0) as offer_states,
            coalesce(o.offer_passages, 0) as offer_passages,
            coalesce(o.offer_state_names, []::varchar[]) as offer_state_names,
            coalesce(r.region_offer_passages, 0) as region_offer_passages,
            coalesce(n.need_passages, 0) > 0 and coalesce(r.region_offer_passages, 0) = 0
                as is_gap
        from submitting s
        cross join topic t
        left join needs n on n.region = s.region and n.topic_id = t.id
        left join offers o on o.region = s.region and o.topic_id = t.id
        left join region_offers r on r.region = s.region and r.topic_id = t.id
        where len(?::varchar[]) = 0 or list_contains(?::varchar[], t.id)
    )
    """  # noqa: S608 - identifiers from fixed lists; values bound
    topics = list(filters.topics)
    return sql, [*need_params, *offer_params, topics, topics]


def needs_matrix(
    db: Database, filters: Filters, *, value: str = "share_states", measure: str = "need"
) -> pd.DataFrame:
    """Grain: one row per (region, work-plan topic), for every region with at least one
    submitting State under the filters and every topic (or the filtered topics), zeros
    included.

    ``measure``: ``need`` (need passages), ``provision`` (offer passages by the region's
    States) or ``gap`` (needs of cells without any offer, see the module docstring).
    ``value``: ``share_states`` (distinct States of the region with the measure on the topic
    ÷ distinct States of the region submitting anything, 0–1), ``states`` (distinct States)
    or ``passages``. Columns: region, topic_id, topic_label, topic_short_label,
    topic_ordinal, states_submitting, need_states, need_passages, offer_states,
    offer_passages (offers by the filtered States), region_offer_passages (offers by any
    State of the region: what closes a gap), is_gap, states (the measure's States, by
    name, for hover),
    measure_states, measure_passages, value, value_kind, measure.
    """
    _check(value, VALUES, "value")
    _check(measure, MEASURES, "measure")
    cells, params = _cells_sql(filters, cube_source(db))
    frame = db.query(
        cells  # noqa: S608 - identifiers from fixed lists; values bound
        + """
    select *,
        case ? when 'need' then need_state_names
               when 'provision' then offer_state_names
               else case when is_gap then need_state_names else []::varchar[] end
        end as states,
        case ? when 'need' then need_states
               when 'provision' then offer_states
               else case when is_gap then need_states else 0 end
        end as measure_states,
        case ? when 'need' then need_passages
               when 'provision' then offer_passages
               else case when is_gap then need_passages else 0 end
        end as measure_passages
    from cells
    order by region, topic_ordinal
    """,
        [*params, measure, measure, measure],
    )
    if value == "share_states":
        frame["value"] = frame["measure_states"] / frame["states_submitting"].where(
            frame["states_submitting"] > 0
        )
        frame["value"] = frame["value"].fillna(0.0).astype(float)
    elif value == "states":
        frame["value"] = frame["measure_states"].astype(int)
    else:
        frame["value"] = frame["measure_passages"].astype(int)
    frame["value_kind"] = value
    frame["measure"] = measure
    frame["states"] = frame["states"].map(list)
    return frame.drop(columns=["need_state_names", "offer_state_names"])


def cell_evidence(
    db: Database,
    filters: Filters,
    region: str,
    topic: str,
    *,
    measure: str,
    limit: int = 200,
) -> pd.DataFrame:
    """Grain: one row per passage behind one (region, topic) cell of :func:`needs_matrix`:
    the need passages (``need``), the offer passages (``provision``), or the need
    passages of a cell without any offer (``gap``; none when the cell has an offer).
    Strongest first (need or offer score), at most ``limit``.
    Columns: passage_id, state, iso3, submitter, meeting, kind, document, source_name,
    heading, para_number, text, need, provision, topic_score."""
    _check(measure, MEASURES, "measure")
    _check_topic(topic)
    region_column = _region(filters)
    where, params = _scoped(filters.without("topics"))
    offer_where, offer_params = _scoped(filters.without("topics", "states"), "o")
    label = "provision" if measure == "provision" else "need"
    source = passage_source(db)
    # the shown passages' ids and scores first (their other columns, read for a million
    # rows, would cost more than the whole query), then their columns by id
    sql = f"""
    with evidence as (
        select p.passage_id, p.meeting, coalesce(p.title, p.source_name) as document, p.seq,
            p.need, p.provision, p.{topic} as topic_score
        from {source} p
        where {where}
          and p.actor_type in ('member_state', 'observer_state')
          and nullif(p.{region_column}, '') = ?
          and list_contains(p.topic_labels, ?)
          and p.capacity_label = ?
    ),
    region_offers as (
        select coalesce(sum(o.n), 0) as n
        from {cube_source(db)} o
        where {offer_where}
          and o.actor_type in ('member_state', 'observer_state')
          and nullif(o.{region_column}, '') = ?
          and list_contains(o.topic_labels, ?)
          and o.capacity_label = 'provision'
    ),
    shown as (
        select * from evidence
        where ? <> 'gap' or (select n from region_offers) = 0
        order by case when ? = 'provision' then provision else need end desc,
            meeting, document, seq
        limit ?
    )
    select e.passage_id, e.need, e.provision, e.topic_score
    from shown e
    order by case when ? = 'provision' then e.provision else e.need end desc,
        e.meeting, e.document, e.seq
    """  # noqa: S608 - identifiers from fixed lists; values bound
    shown = db.query(
        sql,
        [
            *params,
            region,
            topic,
            label,
            *offer_params,
            region,
            topic,
            measure,
            measure,
            int(limit),
            measure,
        ],
    )
    rows = passage_rows(db, shown["passage_id"].tolist(), EVIDENCE_COLUMNS)
    frame = shown.merge(rows, on="passage_id", how="left")  # in shown's order
    frame = frame[["passage_id", *rows.columns[1:], "need", "provision", "topic_score"]]
    return with_texts(db, frame, after="para_number")


# the columns of a shown passage, over v_passage_source (facts.passage_rows)
EVIDENCE_COLUMNS = """country_name as state, country_iso3 as iso3, actor_name as submitter,
    meeting, kind, coalesce(title, source_name) as document, source_name, heading,
    para_number"""


def wilson_lower_sql(successes: str, trials: str, z: float = 1.96) -> str:
    """SQL for the lower end of the Wilson score interval of ``successes`` of ``trials``
    (column expressions; ``trials`` > 0): a share discounted for how few it counts, so
    2 of 2 States (0.34) ranks below 21 of 27 (0.59), and 1 of 1 (0.21) below 3 of 3."""
    k, n, zz = f"cast({successes} as double)", f"cast({trials} as double)", z * z
    return (
        f"(({k} / {n} + {zz / 2!r} / {n} - {z!r} * sqrt(({k} / {n}) * (1 - {k} / {n}) / {n}"
        f" + {zz / 4!r} / ({n} * {n}))) / (1 + {zz!r} / {n}))"
    )


def priority_table(db: Database, filters: Filters, *, top: int = 20) -> pd.DataFrame:
    """Grain: one row per (region, topic) pair with at least one need, the ``top`` pairs
    ranked by the share of the region's submitting States that expressed a need on the
    topic, discounted for small regions (``priority``: the lower end of the share's 95 %
    Wilson interval, so one State of a one-State region does not come first), then by need
    passages. Columns: rank, region, topic_id, topic_label, states_submitting,
    need_states, share_states (0–1), priority (0–1), need_passages,
    region_offer_passages (offers on the topic by any State of the region),
    states (names), example_state, example_meeting, example_document, example_para,
    example_text (the need passage of the cell with the highest need score)."""
    cube = cube_source(db)
    cells, params = _cells_sql(filters.without("topics"), cube)
    region = _region(filters)
    need_where, need_params = _scoped(filters.without("topics"))
    topics = list(filters.topics)
    sql = (
        cells  # noqa: S608 - identifiers from fixed lists; values bound
        + f"""
    , ranked as (
        select *, need_states / states_submitting as share_states,
            {wilson_lower_sql("need_states", "states_submitting")} as priority
        from cells
        where need_states > 0
          and (len(?::varchar[]) = 0 or list_contains(?::varchar[], topic_id))
        order by priority desc, need_passages desc, need_states desc, region, topic_ordinal
        limit ?
    ),
    examples as (  -- the strongest need passage of each (region, topic)
        select nullif(p.{region}, '') as region, t.topic_id,
            first(p.need_passage order by p.max_need desc, p.meeting, p.need_passage)
                as example_id
        from {cube} p, unnest(p.topic_labels) as t(topic_id)
        where {need_where} and p.actor_type in ('member_state', 'observer_state')
          and p.capacity_label = 'need'
        group by all
    )
    select row_number() over (
            order by r.priority desc, r.need_passages desc, r.need_states desc,
                r.region, r.topic_ordinal
        ) as rank,
        r.region, r.topic_id, r.topic_label, r.states_submitting, r.need_states,
        r.share_states, r.priority, r.need_passages, r.region_offer_passages,
        r.need_state_names as states, e.example_id
    from ranked r
    left join examples e on e.region = r.region and e.topic_id = r.topic_id
    order by rank
    """  # noqa: S608 - identifiers from fixed lists; values bound
    )
    frame = db.query(sql, [*params, topics, topics, int(top), *need_params])
    frame["states"] = frame["states"].map(list)
    examples = passage_rows(
        db,
        frame["example_id"].dropna().tolist(),
        "country_name as example_state, meeting as example_meeting, "
        "coalesce(title, source_name) as example_document, para_number as example_para",
    ).set_index("passage_id")
    for column in examples.columns:
        frame[column] = frame["example_id"].map(examples[column])
    frame = with_texts(db, frame, id_column="example_id", column="example_text")
    return frame.drop(columns=["example_id"])


def state_need_intensity(db: Database, filters: Filters, topic: str | None) -> pd.DataFrame:
    """Grain: one row per State (iso3, name) with at least one passage under the filters
    (topic filter ignored). Columns: iso3, name, region, passages (all its passages),
    topic_passages (on ``topic``; all passages when ``topic`` is None), need_passages (its
    needs on the topic), need_share (need_passages ÷ passages, 0–1: how much of what the
    State submitted is a need on this topic, so verbose States do not stand out for
    length alone) and topic_need_share (need_passages ÷ topic_passages)."""
    if topic is not None:
        _check_topic(topic)
    region = _region(filters)
    where, params = _scoped(filters.without("topics"))
    sql = f"""
    with state_passages as (
        select p.country_iso3 as iso3, p.country_name as name,
            nullif(p.{region}, '') as region,
            ?::varchar is null or list_contains(p.topic_labels, ?::varchar) as on_topic,
            p.capacity_label = 'need' as is_need, p.n
        from {cube_source(db)} p
        where {where} and p.actor_type in ('member_state', 'observer_state')
    )
    select iso3, any_value(name) as name, any_value(region) as region,
        cast(sum(n) as bigint) as passages,
        cast(coalesce(sum(n) filter (where on_topic), 0) as bigint) as topic_passages,
        cast(coalesce(sum(n) filter (where on_topic and is_need), 0) as bigint)
            as need_passages
    from state_passages
    group by iso3
    order by need_passages desc, name
    """  # noqa: S608 - identifiers from fixed lists; values bound
    frame = db.query(sql, [topic, topic, *params])
    frame["need_share"] = (frame["need_passages"] / frame["passages"]).astype(float)
    frame["topic_need_share"] = (
        frame["need_passages"] / frame["topic_passages"].where(frame["topic_passages"] > 0)
    ).astype(float)
    return frame


def providers(db: Database, filters: Filters, topic: str | None = None) -> pd.DataFrame:
    """Grain: one row per submitter (State or observer) with at least one offer passage
    under the filters, on ``topic`` when given (which then replaces the topic filter).
    Columns: submitter, actor_type, iso3, region (null for observers), topics (topic ids in
    work-plan order), passages (offer passages), meetings, example_text (its strongest
    offer)."""
    if topic is not None:
        _check_topic(topic)
        filters = filters.without("topics")
    region = _region(filters)
    where, params = _scoped(filters)
    sql = f"""
    with offers as (
        select p.actor_id, p.actor_name, p.actor_type, p.country_iso3, p.meeting, p.n,
            p.provision_passage, p.max_provision, p.topic_labels,
            nullif(p.{region}, '') as region
        from {cube_source(db)} p
        where {where} and p.capacity_label = 'provision'
          and (?::varchar is null or list_contains(p.topic_labels, ?::varchar))
    ),
    offer_topics as (
        select o.actor_id, t.id as topic_id, t.ordinal
        from offers o, unnest(o.topic_labels) as u(topic_id)
        join topic t on t.id = u.topic_id
    ),
    per_actor as (
        select actor_id, any_value(actor_name) as submitter,
            any_value(actor_type) as actor_type,
            any_value(case when actor_type in ('member_state', 'observer_state')
                then country_iso3 end) as iso3,
            any_value(region) as region,
            cast(sum(n) as bigint) as passages,
            list_sort(list(distinct meeting)) as meetings,
            arg_max(provision_passage, max_provision) as example_id
        from offers group by actor_id
    )
    select a.submitter, a.actor_type, a.iso3, a.region,
        coalesce(
            (select list(topic_id order by ordinal) from (
                select distinct topic_id, ordinal from offer_topics ot
                where ot.actor_id = a.actor_id)),
            []::varchar[]) as topics,
        a.passages, a.meetings, a.example_id
    from per_actor a
    order by a.passages desc, a.submitter
    """  # noqa: S608 - identifiers from fixed lists; values bound
    frame = db.query(sql, [*params, topic, topic])
    for column in ("topics", "meetings"):
        frame[column] = frame[column].map(list)
    frame = with_texts(db, frame, id_column="example_id", column="example_text")
    return frame.drop(columns=["example_id"])


def capacity_totals(db: Database, filters: Filters) -> dict[str, int]:
    """Grain: one row for the whole filtered view (returned as a dict): submitting States,
    need passages of States, those without any work-plan topic (they appear in no cell),
    and offer passages by anyone."""
    where, params = _scoped(filters)
    row = db.query(
        f"""
        select
            count(distinct country_iso3) filter (
                where actor_type in ('member_state', 'observer_state')) as states,
            sum(n) filter (where capacity_label = 'need'
                and actor_type in ('member_state', 'observer_state')) as need_passages,
            sum(n) filter (where capacity_label = 'need' and len(topic_labels) = 0
                and actor_type in ('member_state', 'observer_state')) as untopical_needs,
            sum(n) filter (where capacity_label = 'provision') as offer_passages,
            sum(n) filter (where capacity_label is null) as unclassified
        from {cube_source(db)} p
        where {where}
        """,  # noqa: S608 - identifiers from fixed lists; values bound
        params,
    ).iloc[0]
    row = row.fillna(0)
    return {key: int(row[key]) for key in row.index}
