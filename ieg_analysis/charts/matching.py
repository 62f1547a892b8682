"""Charts of the Needs and offers page: who offers help to which regions (a Sankey)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .theme import OKABE_ITO, apply_layout, empty_figure

# submitter type -> colour of its node and links (Okabe-Ito)
TYPE_COLOURS = {
    "member_state": OKABE_ITO[0],
    "observer_state": OKABE_ITO[4],
    "organization": OKABE_ITO[2],
    "private_sector": OKABE_ITO[1],
    "academia": OKABE_ITO[3],
    "unodc": OKABE_ITO[5],
}
TYPE_LABELS = {
    "member_state": "Member State",
    "observer_state": "Observer State",
    "organization": "Organization",
    "private_sector": "Private sector",
    "academia": "Academia",
    "unodc": "UNODC",
}
OTHER_COLOUR = "#9aa0a6"
REGION_COLOUR = "#5f6368"
TITLE = "Who offers help to the needs of which region"


def _rgba(hex_colour: str, alpha: float) -> str:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def providers_sankey(
    flows: pd.DataFrame, *, region_label: str = "Region", value_label: str = "needs"
) -> go.Figure:
    """Providers (left, largest first, coloured by submitter type) → the regions of the
    States whose needs they match (right).

    ``flows`` is :func:`ieg_analysis.analytics.matching.provider_region_flows`: one row per
    (provider, region) with provider, provider_type (null for "Other providers"), region,
    value (need passages), states."""
    if flows.empty:
        return empty_figure("No offer matches a need under these filters.", title=TITLE)
    providers = list(dict.fromkeys(flows["provider"]))
    totals = flows.groupby("region")["value"].sum().sort_values(ascending=False)
    regions = list(totals.index)
    types = flows.drop_duplicates("provider").set_index("provider")["provider_type"]
    colours = [
        TYPE_COLOURS.get(str(types[p]), OTHER_COLOUR) if pd.notna(types[p]) else OTHER_COLOUR
        for p in providers
    ]
    index = {name: i for i, name in enumerate(providers)}
    offset = len(providers)
    node_labels = [html.escape(p) for p in providers] + [html.escape(r) for r in regions]
    node_hover = [
        f"{TYPE_LABELS.get(str(types[p]), 'Several submitters')}" if pd.notna(types[p]) else ""
        for p in providers
    ] + [f"{region_label}" for _ in regions]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": node_labels,
                "color": colours + [REGION_COLOUR] * len(regions),
                "pad": 12,
                "thickness": 16,
                "customdata": node_hover,
                "hovertemplate": "%{label}<br>%{customdata}<br>%{value} "
                + value_label
                + "<extra></extra>",
            },
            link={
                "source": [index[p] for p in flows["provider"]],
                "target": [offset + regions.index(r) for r in flows["region"]],
                "value": flows["value"].astype(int).tolist(),
                "color": [_rgba(colours[index[p]], 0.35) for p in flows["provider"]],
                "customdata": flows["states"].astype(int).tolist(),
                "hovertemplate": "%{source.label} → %{target.label}<br>%{value} "
                + value_label
                + " of %{customdata} States<extra></extra>",
            },
        )
    )
    height = max(420, 26 * len(providers) + 120)
    return apply_layout(fig, title=TITLE, height=height)
