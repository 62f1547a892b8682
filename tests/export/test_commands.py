from __future__ import annotations

import io
import json

import pytest
from docx import Document

from ieg_analysis.cli import main


def _run(*argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue(), ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "chart", "pie", "--output", "x.png"], "'pie' is not a chart"),
        (["export", "chart", "capacity.heatmap", "--meeting", "9", "--output", "x.png"], "9"),
        (["export", "chart", "capacity.heatmap", "--output", "x.gif"], "Cannot tell the format"),
        (
            ["export", "chart", "capacity.heatmap", "--state", "VAT", "--output", "x.png"],
            "has nothing to show",
        ),
        (["export", "compilation", "--meeting", "12", "--output", "x.docx"], "does not exist"),
        (["export", "compilation", "--meeting", "5", "--output", "x.docx"], "nothing to compile"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(cli_env, tmp_path, capsys, argv, message) -> None:
    argv = [a if a not in ("x.png", "x.gif", "x.docx") else str(tmp_path / a) for a in argv]
    code, _, _ = _run(*argv)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert message in err and "\n" not in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_malformed_pack_spec_exit_2(cli_env, tmp_path, capsys) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"charts": [{"chart": "pie"}]}))
    assert _run("export", "pack", str(spec), "--output", str(tmp_path / "p.pptx"))[0] == 2
    assert "'pie' is not a chart" in capsys.readouterr().err


def test_compilation_docx_from_the_cli(cli_env, tmp_path) -> None:
    target = tmp_path / "meeting4.docx"
    code, out, _ = _run("export", "compilation", "--meeting", "4", "--output", str(target))
    assert code == 0 and "Wrote" in out
    headings = [p.text for p in Document(str(target)).paragraphs]
    assert "Contributors by regional group" in headings


@pytest.mark.slow
def test_chart_and_pack_from_the_cli(cli_env, tmp_path) -> None:
    from ieg_analysis.export import images

    try:
        images.find_browser()
    except Exception:  # noqa: BLE001
        pytest.skip("no Chromium for kaleido")
    target = tmp_path / "heatmap.png"
    code, _, _ = _run(
        "export", "chart", "capacity.heatmap", "--meeting", "4", "--output", str(target), "--data"
    )
    assert code == 0 and target.stat().st_size > 10_000
    assert (tmp_path / "heatmap.csv").exists() and (tmp_path / "heatmap.xlsx").exists()
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"title": "T", "charts": ["overview.submissions"]}))
    code, _, _ = _run("export", "pack", str(spec), "--output", str(tmp_path / "p.pdf"))
    assert code == 0 and (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
