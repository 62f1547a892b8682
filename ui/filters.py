"""The shared filter panel: one component for every page, kept in the URL so that a copied
link reopens the same view."""

from __future__ import annotations

import streamlit as st

from ieg_analysis.analytics.filters import (
    ACTOR_TYPE_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    Filters,
    known_regions,
    parse_filters,
)
from ieg_analysis.reference import REGION_SCHEMES, load_reference

ALL_DIMENSIONS = ("meetings", "topics", "regions", "states", "actor_types", "kinds", "languages")
_OWN_KEYS = ("meeting", "topic", "scheme", "region", "state", "actor", "kind", "lang")


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def filter_panel(*, dimensions: tuple[str, ...] = ALL_DIMENSIONS, key: str = "f") -> Filters:
    """Draw the filters in the sidebar (initialised from the URL) and return them."""
    reference = load_reference()
    state_key = f"{key}_initial"
    if state_key not in st.session_state:
        st.session_state[state_key] = parse_filters(_url_params(), reference)
    initial: Filters = st.session_state[state_key]
    for notice in initial.notices:
        st.toast(notice, icon="ℹ️")
    st.session_state[state_key] = Filters(
        **{
            name: getattr(initial, name)
            for name in Filters.__dataclass_fields__
            if name != "notices"
        }
    )
    sidebar = st.sidebar
    sidebar.header("Filters")
    chosen: dict[str, object] = {}
    meetings = sorted(reference.meetings)
    if "meetings" in dimensions:
        chosen["meetings"] = sidebar.multiselect(
            "Meeting",
            meetings,
            default=list(initial.meetings),
            key=f"{key}_meetings",
            format_func=lambda n: (
                f"{n}: {reference.meetings[n].name} ({reference.meetings[n].start_date.year})"
            ),
            placeholder="All meetings",
        )
    if "topics" in dimensions:
        chosen["topics"] = sidebar.multiselect(
            "Work-plan topic",
            list(reference.topics),
            default=list(initial.topics),
            key=f"{key}_topics",
            format_func=lambda t: reference.topics[t].label,
            placeholder="All topics",
        )
    if "regions" in dimensions:
        schemes = list(REGION_SCHEMES)
        scheme = sidebar.radio(
            "Regions by",
            schemes,
            index=schemes.index(initial.region_scheme),
            key=f"{key}_scheme",
            format_func=REGION_SCHEMES.get,
            horizontal=False,
        )
        chosen["region_scheme"] = scheme
        options = sorted(known_regions(reference, scheme))
        default = [r for r in initial.regions if r in options]
        chosen["regions"] = sidebar.multiselect(
            "Region",
            options,
            default=default,
            key=f"{key}_regions_{scheme}",
            placeholder="All regions",
        )
    if "states" in dimensions:
        names = sorted(reference.countries, key=lambda iso3: reference.countries[iso3].name)
        chosen["states"] = sidebar.multiselect(
            "State",
            names,
            default=list(initial.states),
            key=f"{key}_states",
            format_func=lambda iso3: reference.countries[iso3].name,
            placeholder="All States",
        )
    if "actor_types" in dimensions:
        chosen["actor_types"] = sidebar.multiselect(
            "Submitter type",
            list(ACTOR_TYPE_LABELS),
            default=list(initial.actor_types),
            key=f"{key}_actor_types",
            format_func=ACTOR_TYPE_LABELS.get,
            placeholder="All submitters",
        )
    if "kinds" in dimensions:
        chosen["kinds"] = sidebar.multiselect(
            "Document kind",
            list(KIND_LABELS),
            default=list(initial.kinds),
            key=f"{key}_kinds",
            format_func=KIND_LABELS.get,
            placeholder="All kinds",
        )
    if "languages" in dimensions:
        chosen["languages"] = sidebar.multiselect(
            "Language",
            list(LANGUAGE_LABELS),
            default=list(initial.languages),
            key=f"{key}_languages",
            format_func=LANGUAGE_LABELS.get,
            placeholder="All languages",
        )
    filters = Filters(
        **{
            name: tuple(value) if isinstance(value, list) else value
            for name, value in chosen.items()
        }
    )
    _write_url(filters)
    return filters


def _write_url(filters: Filters) -> None:
    wanted = filters.to_query_params()
    for key in _OWN_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
