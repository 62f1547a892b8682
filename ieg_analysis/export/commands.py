"""CLI: ``ieg export chart|pack|compilation``.

``register(subparsers)`` adds ``export`` with its three subcommands; each handler is
``(args, settings, out) -> exit code``, set as the parser's ``func``. Exit codes: 0 written,
2 input refused (unknown chart, meeting or filter value, malformed spec, empty result).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..errors import OutputPathError
from ..settings import Settings
from ..store.db import Database
from .errors import ExportFormatError, PackSpecError
from .registry import CHARTS

CHART_FORMATS = ("png", "svg", "pdf", "pptx")
PACK_FORMATS = ("pptx", "pdf")
COMPILATION_FORMATS = ("docx", "pdf")
_FILTER_FLAGS = {
    "meeting": "meeting number(s), e.g. 4 or 4,5",
    "topic": "work-plan topic id(s), e.g. criminalization",
    "scheme": "region scheme: regional_group, m49_region or m49_subregion",
    "region": "region(s) of the scheme, e.g. African",
    "state": "State ISO3 code(s), e.g. GHA",
    "actor": "submitter type(s), e.g. member_state",
    "kind": "document kind(s), e.g. written_submission",
    "lang": "language code(s), e.g. en",
}


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export",
        help="export charts (PNG, SVG, PDF, PPTX), briefing packs and meeting compilations",
        description="Export what the dashboard shows: one chart, a briefing pack of charts, "
        "or the compilation of the written submissions to a meeting. Every exported chart "
        "carries its provenance (data snapshot, database, model version, filters).",
    )
    kinds = export.add_subparsers(dest="export_kind", required=True, metavar="WHAT")

    chart = kinds.add_parser(
        "chart",
        help="one chart of the analysis pages, with its provenance",
        description="Charts: " + ", ".join(CHARTS) + ". Chart options go as --option KEY=VALUE.",
    )
    chart.add_argument("name", help="the chart's name, e.g. capacity.heatmap")
    chart.add_argument("--format", choices=CHART_FORMATS, help="default: from --output")
    chart.add_argument("--output", type=Path, required=True, help="the file to write")
    chart.add_argument("--title", help="a title instead of the chart's own")
    chart.add_argument("--note", default="", help="a note under the chart (pdf, pptx)")
    chart.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="a chart option"
    )
    chart.add_argument(
        "--data", action="store_true", help="also write the data behind it (.csv and .xlsx)"
    )
    for flag, help_text in _FILTER_FLAGS.items():
        chart.add_argument(f"--{flag}", action="append", help=help_text)
    chart.set_defaults(func=cmd_chart)

    pack = kinds.add_parser(
        "pack",
        help="a briefing pack (PPTX or PDF) from a JSON specification",
        description="A title slide, then one chart per slide with its note and provenance. "
        "The specification is the JSON the Briefing page downloads; see "
        "ieg_analysis/export/pack.py for its form.",
    )
    pack.add_argument("spec", type=Path, metavar="SPEC.json")
    pack.add_argument("--output", type=Path, required=True, help="FILE.pptx or FILE.pdf")
    pack.set_defaults(func=cmd_pack)

    compilation = kinds.add_parser(
        "compilation",
        help="the compilation of the written submissions to a meeting (DOCX or PDF)",
        description="Passages grouped by work-plan topic and submitter with their sources, "
        "a table of contents, the contributors by regional group and the submissions that "
        "arrived after the three-week deadline.",
    )
    compilation.add_argument("--meeting", required=True, help="the meeting number")
    compilation.add_argument("--format", choices=COMPILATION_FORMATS, help="default: --output")
    compilation.add_argument("--output", type=Path, required=True)
    compilation.add_argument(
        "--repeat",
        action="store_true",
        help="repeat a passage under each of its topics (default: only its best topic)",
    )
    compilation.set_defaults(func=cmd_compilation)


def _format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    if getattr(args, "format", None):
        return args.format  # argparse's choices are the allowed formats
    return output_format(args.output, allowed, option=True)


def output_format(output: Path, allowed: tuple[str, ...], *, option: bool = False) -> str:
    """The format an output file's extension names, one of ``allowed``; refused otherwise
    (``option``: the command also takes --format), so no file gets a misleading name."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in allowed:
        hint = (
            f"give --format ({', '.join(allowed)}) or an output ending in one of them"
            if option
            else "give an output ending in " + " or ".join(f".{a}" for a in allowed)
        )
        raise ExportFormatError(f"Cannot tell the format from '{output.name}'; {hint}.")
    return fmt


def check_output(output: Path, *, create_folder: bool = True) -> None:
    """Refuse, before anything is computed, an output file that could not be written: a
    folder; a folder path with a file in it; a missing folder (unless ``create_folder``:
    the command creates it); no permission to write it. The sentences are those the CLI
    gives for the same fault found while writing."""
    if output.is_dir():
        raise OutputPathError("is_folder", output)
    existing = output.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # the nearest folder that exists
    if existing.exists() and not existing.is_dir():
        raise OutputPathError("file_as_folder", existing)
    if existing != output.parent and not create_folder:
        raise OutputPathError("no_folder", output)
    writable = output if output.exists() else existing
    if not os.access(writable, os.W_OK):
        raise OutputPathError("no_permission", output)


def _database(args: argparse.Namespace, settings: Settings) -> Database | None:
    settings = settings.with_db(args.db)
    db = Database(
        settings.db_path, timeout_s=settings.query_timeout_s, row_cap=settings.query_row_cap
    )
    return db if db.exists() else None


def _write(path: Path, data: bytes, out, started: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"Wrote {path} ({len(data):,} bytes) in {time.perf_counter() - started:.1f} s.", file=out)


def _missing(db_path: object) -> int:
    import sys

    print(f"There is no database at {db_path}; run 'ieg init --sample' first.", file=sys.stderr)
    return 2


def cmd_chart(args: argparse.Namespace, settings: Settings, out) -> int:
    from .pack import PackItem, PackSpec, build_pack, filters_from_params, render_chart
    from .provenance import provenance_of
    from .registry import build_chart
    from .tables import to_csv_bytes, to_xlsx_bytes

    started = time.perf_counter()
    fmt = _format(args, CHART_FORMATS)
    for output in [args.output] + (
        [args.output.with_suffix(".csv"), args.output.with_suffix(".xlsx")] if args.data else []
    ):
        check_output(output)
    options = {}
    for pair in args.option:
        key, sep, value = pair.partition("=")
        if not sep:
            raise PackSpecError(f"'{pair}' is not an option; write it as KEY=VALUE.")
        options[key.strip()] = value.strip()
    filters = filters_from_params(
        {flag: getattr(args, flag) for flag in _FILTER_FLAGS if getattr(args, flag)}
    )
    db = _database(args, settings)
    if db is None:
        return _missing(settings.with_db(args.db).db_path)
    if fmt in ("pdf", "pptx"):
        spec = PackSpec(
            title=args.title or (CHARTS[args.name].title if args.name in CHARTS else args.name),
            items=(PackItem(args.name, title=args.title or "", note=args.note, options=options),),
            filters=filters,
        )
        pack = build_pack(db, spec)
        if fmt == "pptx":
            from .slides import to_pptx

            data = to_pptx(pack)
        else:
            from .pack_pdf import to_pdf

            data = to_pdf(pack)
        result = pack.charts[0].result
        provenance = pack.provenance
    else:
        result = build_chart(db, args.name, filters, options)
        provenance = provenance_of(db)
        data = render_chart(result, provenance, title=args.title or None, fmt=fmt)
    _write(args.output, data, out, started)
    if args.data:
        about = provenance.as_dict(result.filters_text) | {"chart": result.name}
        csv_path, xlsx_path = args.output.with_suffix(".csv"), args.output.with_suffix(".xlsx")
        _write(csv_path, to_csv_bytes(result.data), out, started)
        _write(xlsx_path, to_xlsx_bytes(result.data, about, sheet=result.name), out, started)
    return 0


def cmd_pack(args: argparse.Namespace, settings: Settings, out) -> int:
    from .pack import build_pack, parse_spec

    started = time.perf_counter()
    fmt = _format(args, PACK_FORMATS)
    check_output(args.output)
    try:
        text = args.spec.read_bytes()
    except OSError as error:
        raise PackSpecError(f"Cannot read {args.spec}: {error.strerror}.") from None
    spec = parse_spec(text)
    db = _database(args, settings)
    if db is None:
        return _missing(settings.with_db(args.db).db_path)
    pack = build_pack(db, spec)
    if fmt == "pptx":
        from .slides import to_pptx

        data = to_pptx(pack)
    else:
        from .pack_pdf import to_pdf

        data = to_pdf(pack)
    _write(args.output, data, out, started)
    return 0


def cmd_compilation(args: argparse.Namespace, settings: Settings, out) -> int:
    from ..reference import load_reference
    from .compilation import compile_meeting

    started = time.perf_counter()
    fmt = _format(args, COMPILATION_FORMATS)
    check_output(args.output)
    load_reference().meeting(args.meeting)  # an unknown meeting is refused before any work
    db = _database(args, settings)
    if db is None:
        return _missing(settings.with_db(args.db).db_path)
    compilation = compile_meeting(db, args.meeting, mode="each" if args.repeat else "primary")
    if fmt == "docx":
        from .compilation_docx import to_docx

        data = to_docx(compilation)
    else:
        from .compilation_pdf import to_pdf

        data = to_pdf(compilation)
    _write(args.output, data, out, started)
    return 0
