"""Static images of charts through kaleido (a headless Chromium), with the provenance
stamped into the image itself.

Kaleido 1.x drives a Chrome/Chromium installed on the machine: ``IEG_CHROMIUM`` (or
kaleido's own ``BROWSER_PATH``) names it, else the usual names on ``PATH`` are tried.
One kaleido server is started per process on first use and kept (about 0.8 s per image
instead of about 5 s with a browser per image). The world geometry of map charts is read
from ``static/world_110m.json``; MathJax is off, so rendering never goes to the internet.
"""

from __future__ import annotations

import atexit
import html
import io
import os
import re
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from ..settings import REPO_ROOT
from .errors import ExportFormatError, RendererError

STATIC_DIR = REPO_ROOT / "static"
IMAGE_FORMATS = ("png", "svg")
WIDTH = 1400  # CSS pixels; PNGs are rendered at SCALE times this
SCALE = 2
FOOTER_FONT_PX = 13
FOOTER_COLOUR = "#444444"
NOTICE_COLOUR = "#8a1c00"
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_LOCK = threading.Lock()
_started = False


def find_browser() -> str:
    for variable in ("IEG_CHROMIUM", "BROWSER_PATH"):
        path = os.environ.get(variable)
        if path:
            if not Path(path).is_file():
                raise RendererError(f"{variable} names {path}, which is not a file.")
            return path
    for name in _BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    raise RendererError(
        "Static images need Chromium ('apt-get install chromium'), or IEG_CHROMIUM set to a "
        "Chrome or Chromium executable."
    )


def _start() -> None:
    global _started
    with _LOCK:
        if _started:
            return
        import kaleido

        kaleido.start_sync_server(path=find_browser(), mathjax=False, silence_warnings=True)
        atexit.register(stop)
        _started = True


def stop() -> None:
    """Stop the kaleido server (it starts again on the next image)."""
    global _started
    with _LOCK:
        if _started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def render(fig: go.Figure, fmt: str, *, width: int = WIDTH, scale: int = SCALE) -> bytes:
    """The figure as PNG or SVG bytes, at the figure's own height."""
    if fmt not in IMAGE_FORMATS:
        raise ExportFormatError(f"'{fmt}' is not an image format; use png or svg.")
    import kaleido

    height = int(fig.layout.height or 420)
    scale = 1 if fmt == "svg" else scale  # vector: the scale would only enlarge its size
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    topojson = STATIC_DIR.as_uri() + "/"
    # the headless browser can drop a message under load (choreographer's JSONError, seen
    # once on a busy machine): start it afresh and try once more
    try:
        _start()
        return kaleido.calc_fig_sync(fig, opts=opts, topojson=topojson)
    except RendererError:
        raise  # no browser to start: the sentence already says what to install
    except Exception:  # noqa: BLE001 - any failure of the browser or its channel
        stop()
    try:
        _start()
        return kaleido.calc_fig_sync(fig, opts=opts, topojson=topojson)
    except RendererError:
        raise
    except Exception as error:  # noqa: BLE001
        stop()
        raise RendererError(
            f"The headless browser failed to draw the chart ({type(error).__name__}); try again."
        ) from error


def for_export(fig: go.Figure, *, title: str | None = None, drop_title: bool = False) -> go.Figure:
    """A copy of the figure for a static image: ``title`` replaces the chart's own (None
    keeps it); ``drop_title`` removes it, for a slide or page that carries the title."""
    out = go.Figure(fig)
    if drop_title:
        out.update_layout(title=None, margin={"t": 20})
    elif title:
        out.update_layout(title={"text": html.escape(title)})
    if not drop_title:  # the page's title sits at its edge; an image's is inset like its footer
        out.update_layout(title={"x": 0.015})
    return out


def _footer_lines(lines: list[str], width_px: int, font_px: int) -> list[str]:
    """Wrap the footer to the image width (a sans-serif glyph averages ~0.5 em)."""
    per_line = max(40, int(width_px / (font_px * 0.5)))
    wrapped: list[str] = []
    for line in lines:
        words, current = line.split(" "), ""
        for word in words:
            if current and len(current) + 1 + len(word) > per_line:
                wrapped.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        wrapped.append(current)
    return wrapped


def _font(size: int):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ):
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def stamp_png(png: bytes, lines: list[str], *, scale: int = SCALE, notice: bool = False) -> bytes:
    """The PNG with a white band below it holding the provenance lines (the first in the
    notice colour when ``notice``)."""
    from PIL import Image, ImageDraw

    chart = Image.open(io.BytesIO(png)).convert("RGB")
    font_px = FOOTER_FONT_PX * scale
    wrapped = _footer_lines(lines, chart.width - 40 * scale, font_px)
    line_px = int(font_px * 1.45)
    band = 12 * scale + line_px * len(wrapped) + 10 * scale
    out = Image.new("RGB", (chart.width, chart.height + band), "white")
    out.paste(chart, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.line(
        [
            (20 * scale, chart.height + 4 * scale),
            (chart.width - 20 * scale, chart.height + 4 * scale),
        ],
        fill="#cccccc",
        width=max(1, scale),
    )
    font = _font(font_px)
    first_len = len(_footer_lines(lines[:1], chart.width - 40 * scale, font_px))
    y = chart.height + 12 * scale
    for index, line in enumerate(wrapped):
        colour = NOTICE_COLOUR if notice and index < first_len else FOOTER_COLOUR
        draw.text((20 * scale, y), line, fill=colour, font=font)
        y += line_px
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", dpi=(96 * scale, 96 * scale))
    return buffer.getvalue()


def stamp_svg(svg: bytes, lines: list[str], *, notice: bool = False) -> bytes:
    """The SVG inside a taller SVG whose bottom band holds the provenance lines."""
    text = svg.decode("utf-8")
    text = re.sub(r"^\s*<\?xml[^>]*>\s*", "", text)
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)', text).group(1))
    height = float(re.search(r'<svg[^>]*\sheight="([\d.]+)', text).group(1))
    wrapped = _footer_lines(lines, int(width) - 40, FOOTER_FONT_PX)
    first_len = len(_footer_lines(lines[:1], int(width) - 40, FOOTER_FONT_PX))
    line_px = FOOTER_FONT_PX * 1.45
    total = height + 12 + line_px * len(wrapped) + 10
    rows = []
    for index, line in enumerate(wrapped):
        colour = NOTICE_COLOUR if notice and index < first_len else FOOTER_COLOUR
        y = height + 12 + FOOTER_FONT_PX + index * line_px
        rows.append(
            f'<text x="20" y="{y:.1f}" fill="{colour}" font-size="{FOOTER_FONT_PX}" '
            f'font-family="Arial, Helvetica, sans-serif">{html.escape(line)}</text>'
        )
    out = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{total:g}" '
        f'viewBox="0 0 {width:g} {total:g}">'
        f'<rect width="100%" height="100%" fill="white"/>{text}'
        f'<line x1="20" x2="{width - 20:g}" y1="{height + 4:g}" y2="{height + 4:g}" '
        f'stroke="#cccccc"/>' + "".join(rows) + "</svg>"
    )
    return out.encode("utf-8")


def png_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size
