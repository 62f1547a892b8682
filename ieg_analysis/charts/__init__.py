"""Plotly figure builders: DataFrame in, ``plotly.graph_objects.Figure`` out, no I/O.
The same builders serve the pages and the briefing exports."""
