"""Errors a user can cause when exporting, each with one clear sentence."""

from __future__ import annotations

from ..errors import IEGError


class UnknownChartError(IEGError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"'{name}' is not a chart; the charts are {', '.join(known)}.")


class ChartOptionError(IEGError):
    """A chart option that the chart does not have, or a value it does not allow."""


class EmptyChartError(IEGError):
    """A chart with nothing to show under its filters (never exported as an empty slide)."""

    def __init__(self, title: str, message: str, filters_text: str) -> None:
        self.title = title
        super().__init__(f"'{title}' has nothing to show for {filters_text}: {message}")


class PackSpecError(IEGError):
    """A pack specification (JSON) that cannot be read."""


class ExportFormatError(IEGError):
    """An output format the export does not produce."""


class RendererError(IEGError):
    """No Chromium to render static images with."""


class EmptyCompilationError(IEGError):
    def __init__(self, meeting: int) -> None:
        super().__init__(
            f"Meeting {meeting} has no written submissions in the database, so there is "
            "nothing to compile."
        )
