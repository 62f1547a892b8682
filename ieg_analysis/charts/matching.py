"""Charts of the Needs and offers page: who offers help to which regions (a Sankey)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .theme import OKABE_ITO, apply_layout, empty_figure

OTHER_PROVIDERS = "All other providers"  # the name analytics.matching gives the rest

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


def _stacked(values: list[float]) -> list[float]:
    """Centres (0 = top, 1 = bottom) of nodes stacked in the given order, sized by value."""
    total = float(sum(values)) or 1.0
    centres, before = [], 0.0
    for value in values:
        centres.append(0.02 + 0.96 * (before + value / 2) / total)
        before += value
    return centres


def providers_sankey(
    flows: pd.DataFrame, *, region_label: str = "Region", value_label: str = "needs"
) -> go.Figure:
    """Providers (left, largest first, coloured by submitter type) → the regions of the
    States whose needs they match (right).

    ``flows`` is :func:`ieg_analysis.analytics.matching.provider_region_flows`: one row per
    (provider, region) with provider, provider_type (null for "All other providers"), region,
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
    # nodes in a fixed order, top to bottom: providers by value ("All other providers" last),
    # regions by value (Plotly's own layout would put the largest node anywhere)
    provider_values = flows.groupby("provider")["value"].sum().reindex(providers).tolist()
    # a provider's value counts each need once; a region's sums its providers', so a need
    # several providers match counts once per provider: only the providers show a number
    node_labels = [
        f"{html.escape(p)} ({v:,})" for p, v in zip(providers, provider_values, strict=True)
    ] + [html.escape(r) for r in regions]
    node_hover = [
        (
            f"{TYPE_LABELS.get(str(types[p]), 'Several submitters')}<br>{v:,} {value_label}"
            if pd.notna(types[p])
            else f"{v:,} {value_label}"
        )
        for p, v in zip(providers, provider_values, strict=True)
    ] + [
        f"{region_label}<br>{int(t):,} {value_label} × the providers listed for them"
        for t in totals.tolist()
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "x": [0.001] * len(providers) + [0.999] * len(regions),
                "y": _stacked(provider_values) + _stacked(totals.tolist()),
                "label": node_labels,
                "color": colours + [REGION_COLOUR] * len(regions),
                "pad": 12,
                "thickness": 16,
                "customdata": node_hover,
                "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            },
            # a crisp white outline instead of Plotly's soft halo: labels over the flows
            textfont={
                "color": "#1a1a1a",
                "size": 12,
                "shadow": "1px 1px 0 #fff, -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff",
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
    present = [t for t in TYPE_COLOURS if t in set(types.dropna())]
    key = "   ".join(
        f'<span style="color:{TYPE_COLOURS[t]}">■</span> {TYPE_LABELS[t]}' for t in present
    )
    if OTHER_PROVIDERS in providers:
        key += f'   <span style="color:{OTHER_COLOUR}">■</span> {OTHER_PROVIDERS}'
    key += f"   (n): the {value_label} a provider's offers match"
    fig.add_annotation(
        text=key,
        showarrow=False,
        x=0,
        y=-0.04,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        align="left",
    )
    height = max(420, 26 * len(providers) + 160)
    fig = apply_layout(fig, title=TITLE, height=height)
    fig.update_layout(margin={"b": 50})
    return fig
