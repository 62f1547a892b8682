"""The providers Sankey on a hand-built flow table."""

from __future__ import annotations

import pandas as pd

from ieg_analysis.charts.matching import providers_sankey


def _flows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": ["France", "France", "UNODC", "All other providers"],
            "provider_type": ["member_state", "member_state", "unodc", None],
            "region": ["African", "Asia-Pacific", "African", "African"],
            "value": [3, 1, 2, 5],
            "states": [2, 1, 2, 4],
        }
    )


def test_providers_carry_their_needs_and_regions_no_double_count() -> None:
    sankey = providers_sankey(_flows(), region_label="UN regional group").data[0]
    labels = list(sankey.node.label)
    assert labels[:3] == ["France (4)", "UNODC (2)", "All other providers (5)"]
    # a region's sum would count a need once per provider: no number on its label
    assert labels[3:] == ["African", "Asia-Pacific"]
    hover = list(sankey.node.customdata)
    assert hover[0] == "Member State<br>4 needs"
    assert hover[3].startswith("UN regional group<br>10 needs × the providers")
    assert sankey.textfont.color == "#1a1a1a" and "#fff" in sankey.textfont.shadow
    key = providers_sankey(_flows()).layout.annotations[0].text
    assert key.endswith("(n): the needs a provider's offers match")  # the numbers' unit


def test_html_in_a_name_is_escaped() -> None:
    flows = _flows().assign(provider=["<b>X</b>", "<b>X</b>", "UNODC", "All other providers"])
    assert providers_sankey(flows).data[0].node.label[0] == "&lt;b&gt;X&lt;/b&gt; (4)"


def test_no_flows_says_so() -> None:
    figure = providers_sankey(_flows().iloc[0:0])
    assert "No offer matches" in figure.layout.annotations[0].text
