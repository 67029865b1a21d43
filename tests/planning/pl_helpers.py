"""Helpers for the planning tests (tests/planning/). A uniquely named module, so that it cannot be
confused with another folder's helpers. Expected values in these tests are worked out by hand,
with the arithmetic in a comment next to each; they are never computed by calling parindex.
"""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex import api
from parindex.model.documents import Ruleset, ScoreCard

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
PLANNING = EXAMPLES / "planning"
RS_2020 = PLANNING / "rulesets" / "example-province-2020.yaml"
RS_2021 = PLANNING / "rulesets" / "example-province-2021.yaml"


def D(text: str) -> Decimal:
    """An exact decimal from text (never from a float)."""
    return Decimal(text)


#: A small ruleset: F1 (10) = F1.1 (4) + F1.2 (6 = F1.2.1 3 + F1.2.2 3); F2 (10) = F2.1 (5) +
#: F2.2 (no published maximum). Total maximum 20; groups A ≥ 90, B ≥ 80, C below.
SMALL: dict[str, Any] = {
    "id": "test.small",
    "version": "1",
    "years": [2021],
    "unit_kind": "province",
    "source": {"document": "test"},
    "maximum": 20,
    "groups": [{"label": "A", "min": 90}, {"label": "B", "min": 80}, {"label": "C", "min": 0}],
    "nodes": [
        {
            "code": "F1",
            "maximum": 10,
            "children": [
                {"code": "F1.1", "maximum": 4, "title": {"vi": "Một", "en": "One"}},
                {
                    "code": "F1.2",
                    "maximum": 6,
                    "children": [
                        {"code": "F1.2.1", "maximum": 3},
                        {"code": "F1.2.2", "maximum": 3},
                    ],
                },
            ],
        },
        {
            "code": "F2",
            "maximum": 10,
            "children": [
                {"code": "F2.1", "maximum": 5},
                {"code": "F2.2"},
            ],
        },
    ],
}


def small_ruleset() -> Ruleset:
    return api.load_ruleset(SMALL)


def small_card(unit: str = "u", inputs: dict[str, Any] | None = None) -> ScoreCard:
    """The detailed unit: F1.1 3, F1.2.1 3, F1.2.2 1.5, F2.1 4, F2.2 4 → total 15.5 of 20."""
    data = {
        "ruleset": "test.small",
        "year": 2021,
        "unit": {"id": unit, "name": unit.upper()},
        "inputs": inputs or {"F1.1": 3, "F1.2.1": 3, "F1.2.2": "1.5", "F2.1": 4, "F2.2": 4},
    }
    return api.score(data, small_ruleset())


def example_cards(*names: str, rulesets: tuple[Path, ...] = (RS_2021,)) -> list[ScoreCard]:
    from parindex.analysis.planning.inputs import load_rulesets, read_cards

    return read_cards([PLANNING / n for n in names], load_rulesets(rulesets))


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos = 8
    idat = b""
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"unsupported PNG: depth {depth}, type {colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        prev = line
        rgb = (
            bytes(line)
            if bpp == 3
            else bytes(v for k in range(0, stride, 4) for v in line[k : k + 3])
        )
        rows.append(rgb)
    return width, height, rows


def count_colour(
    rows: list[bytes],
    hex_colour: str,
    tolerance: int = 6,
    region: tuple[int, int, int, int] | None = None,
) -> int:
    """Pixels within ``tolerance`` of ``hex_colour`` (optionally in x0, y0, x1, y1)."""
    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    x0, y0, x1, y1 = region or (0, 0, len(rows[0]) // 3, len(rows))
    n = 0
    for y in range(y0, min(y1, len(rows))):
        row = rows[y]
        for x in range(x0, min(x1, len(row) // 3)):
            pr, pg, pb = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            if abs(pr - r) <= tolerance and abs(pg - g) <= tolerance and abs(pb - b) <= tolerance:
                n += 1
    return n
