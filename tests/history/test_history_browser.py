"""The history chart in a real headless browser (Chromium): the bands, the index line and the
rank line must render. Skipped when no Chromium is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from parindex.cli.main import main

# the PNG reader of the planning browser test, not a copy of it
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "planning"))
from pl_helpers import count_colour, read_png

from parindex.report.history_chart import INDEX_COLOUR, RANK_COLOUR
from parindex.report.svg_elements import BAND_FILLS

REPO = Path(__file__).resolve().parents[2]
BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed")


def test_the_history_chart_renders(tmp_path: Path) -> None:
    assert BROWSER is not None
    page = tmp_path / "report.html"
    card = str(REPO / "examples" / "moha-2020-quang-ninh.yaml")
    assert main(["report", card, "--history", "par-2018-2022", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    start = html.index('<svg class="chart" id="history-chart"')
    svg = html[start : html.index("</svg>", start) + len("</svg>")]
    alone = tmp_path / "chart.html"
    alone.write_text(f"<!doctype html><body style='margin:0'>{svg}</body>", encoding="utf-8")
    shot = tmp_path / "shot.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--force-color-profile=srgb", f"--user-data-dir={profile}",
             f"--screenshot={shot}", "--window-size=960,320", alone.as_uri()],
            capture_output=True, timeout=120, check=False, cwd=tmp_path,
        )  # fmt: skip
    assert shot.is_file()
    _, _, rows = read_png(shot)
    # 2018 (A ≥ 80) and 2021–2022 (A ≥ 90, B ≥ 80) are shaded; 2019 and 2020 publish no bands.
    # Each year's column is 840 ÷ 5 = 168 px wide, the plot 248 px high.
    band_a = count_colour(rows, BAND_FILLS[0], tolerance=3, region=(0, 0, 960, 320))
    assert band_a > 3 * 168 * 40, band_a
    assert count_colour(rows, BAND_FILLS[1], tolerance=3, region=(0, 0, 960, 320)) > 2 * 168 * 40
    assert count_colour(rows, INDEX_COLOUR, tolerance=40, region=(0, 0, 960, 320)) > 4 * 168
    assert count_colour(rows, RANK_COLOUR, tolerance=40, region=(0, 0, 960, 320)) > 200
