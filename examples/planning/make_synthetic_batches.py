"""Write the SYNTHETIC batches used by the planning examples (run from the repository root).

    python examples/planning/make_synthetic_batches.py

No full table of 2021 provincial results is available here, so the examples rank Yên Bái
(examples/planning/yen-bai-2021*.yaml) against 62 made-up provinces ("Tỉnh mẫu 01" …). Nothing in
these files is a published figure. The output is deterministic (fixed formulas and a seeded
generator), so running this again rewrites the same files.
"""

from __future__ import annotations

import csv
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELD_MAXIMA = [Decimal(x) for x in ("10", "10", "14.5", "11", "16", "7", "16", "15.5")]
CENT = Decimal("0.01")


def par_indices() -> list[Decimal]:
    """62 distinct indices: 24 above Yên Bái's 85.90 (the 22nd is 86.45), 38 below it."""
    top = [Decimal("91.50") - Decimal("0.245") * i for i in range(21)]
    top += [Decimal("86.45"), Decimal("86.20"), Decimal("86.02")]
    low = [Decimal("85.80") - (Decimal("6.40") / 37) * i for i in range(38)]
    out = [v.quantize(CENT, ROUND_HALF_UP) for v in top + low]
    assert len(set(out)) == 62 and Decimal("85.90") not in out
    return out


def split(index: Decimal, shift: int) -> list[Decimal]:
    """Field points adding up to ``index``: the loss shared in proportion to the maxima, with a
    small deterministic shift between fields so that the rows differ."""
    lost = Decimal(100) - index
    losses = [(lost * m / 100).quantize(CENT, ROUND_HALF_UP) for m in FIELD_MAXIMA]
    a, b = shift % 8, (shift + 3) % 8
    move = min(Decimal("0.5"), losses[b])
    losses[a] += move
    losses[b] -= move
    losses[-1] += lost - sum(losses)
    points = [m - x for m, x in zip(FIELD_MAXIMA, losses, strict=True)]
    assert all(0 <= p <= m for p, m in zip(points, FIELD_MAXIMA, strict=True))
    assert sum(points) == index
    return points


def write_par() -> None:
    with open(HERE / "par-2021-synthetic.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ruleset", "year", "unit", "unit_name", *[str(i) for i in range(1, 9)]])
        for i, index in enumerate(par_indices(), start=1):
            w.writerow(
                [
                    "example.province",
                    2021,
                    f"p{i:02d}",
                    f"Tỉnh mẫu {i:02d}",
                    *[format(p, "f") for p in split(index, i)],
                ]
            )


PAPI_MEANS = [Decimal(x) for x in ("5.2", "5.3", "4.3", "6.5", "7.2", "7.4", "3.8", "3.5")]


def write_papi() -> None:
    rng = random.Random(2021)
    with open(HERE / "papi-2021-synthetic.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ruleset", "year", "unit", "unit_name", *[f"D{i}" for i in range(1, 9)]])
        for i in range(1, 63):
            dims = [
                (m + Decimal(rng.randint(-700, 700)) / 1000).quantize(Decimal("0.0001"))
                for m in PAPI_MEANS
            ]
            w.writerow(
                ["papi", 2021, f"p{i:02d}", f"Tỉnh mẫu {i:02d}", *[format(d, "f") for d in dims]]
            )


if __name__ == "__main__":
    write_par()
    write_papi()
