#!/usr/bin/env python3
"""Regenerate the bundled published datasets from the research data in ``../shared/data``.

Usage (from the project root)::

    python tools/convert_datasets.py                 # reads ../shared/data, writes the datasets
    python tools/convert_datasets.py --check         # exit 1 if the committed files differ
    python tools/convert_datasets.py --shared PATH   # another copy of shared/

Writes, into ``plugins/parindex_vn/datasets/``, one CSV per dataset in the format read by
``parindex reproduce`` (columns ``ruleset, year, unit, total, rank, group, source, note`` and one
column per node code) and a sidecar ``<name>.dataset.yaml`` describing it: title, sources, what
was converted and how, and sha256 checksums of the input and the output. Numbers are copied as
text, digit for digit, so the published precision is kept. Output is deterministic.

Standard library only, so it runs without the package installed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parindex.io.files import atomic_write_bytes

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "plugins" / "parindex_vn" / "datasets"
BASE_COLUMNS = ["ruleset", "year", "unit", "total", "rank", "group", "source", "note"]

PAPI_OFFICIAL_URL = "https://github.com/mdtrinh/vietnamdata/tree/master/data-raw/PAPI"

# PAPI official file: source column → node code, per regime. The D3 columns changed meaning in 2016
# (their names say so: "…__2016_responsive_to_citizen_actions").
PAPI_COMMON = {
    "D1_participation": "D1",
    "D1_1_civic_knowledge": "D1.1",
    "D1_2_opportunities_for_participation": "D1.2",
    "D1_3_quality_of_elections": "D1.3",
    "D1_4_voluntary_contributions": "D1.4",
    "D2_transparency": "D2",
    "D2_1_poverty_lists": "D2.2",
    "D2_2_communal_budget_expenditure": "D2.3",
    "D2_3_land_use_plans_price_frames": "D2.4",
    "D3_vertical_accountability": "D3",
    "D3_1_interactions_with_local_authorities": "D3.1",
    "D4_control_of_corruption": "D4",
    "D4_1_limits_public_sector_corruption": "D4.1",
    "D4_2_limits_corruption_service_delivery": "D4.2",
    "D4_3_equity_in_employment": "D4.3",
    "D4_4_willingness_to_fight_corruption": "D4.4",
    "D5_public_admin_procedures": "D5",
    "D5_1_certification": "D5.1",
    "D5_2_construction_permits": "D5.2",
    "D5_3_land_use_rights_procedures": "D5.3",
    "D5_4_personal_commune_procedures": "D5.4",
    "D6_public_service_delivery": "D6",
    "D6_1_public_health": "D6.1",
    "D6_2_primary_education": "D6.2",
    "D6_3_basic_infrastructure": "D6.3",
    "D6_4_law_and_order": "D6.4",
}
D3_2_COL = "D3_2_peoples_inspection_boards__2016_responsive_to_citizen_actions"
D3_3_COL = "D3_3_community_investment_boards__2016_peoples_inspection_boards"
PAPI_D3_2011 = {D3_2_COL: "D3.4", D3_3_COL: "D3.5"}  # People's Inspection, Community Investment
PAPI_D3_2016 = {D3_2_COL: "D3.2", D3_3_COL: "D3.4"}  # Responsiveness, People's Inspection
PAPI_CODES = [
    "D1",
    "D1.1",
    "D1.2",
    "D1.3",
    "D1.4",
    "D2",
    "D2.2",
    "D2.3",
    "D2.4",
    "D3",
    "D3.1",
    "D3.2",
    "D3.4",
    "D3.5",
    "D4",
    "D4.1",
    "D4.2",
    "D4.3",
    "D4.4",
    "D5",
    "D5.1",
    "D5.2",
    "D5.3",
    "D5.4",
    "D6",
    "D6.1",
    "D6.2",
    "D6.3",
    "D6.4",
]

PAR_COMPONENTS = {
    "appraisal_points": "appraisal",
    "sipas_points": "sipas",
    "leader_survey_points": "leaders",
    "socioeconomic_impact_points": "impact",
}


@dataclass
class Dataset:
    name: str
    title: str
    source_file: str  # relative to shared/data
    rulesets: list[str]
    codes: list[str]
    convert: Callable[[list[dict[str, str]]], list[dict[str, str]]]
    sources: list[dict[str, str]]
    conversion: str
    notes: str


def _papi_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for r in rows:
        year = int(r["year"])
        mapping = {**PAPI_COMMON, **(PAPI_D3_2011 if year <= 2015 else PAPI_D3_2016)}
        values = {code: r[col].strip() for col, code in mapping.items()}
        blank = all(v == "" for v in values.values())
        row = {
            "ruleset": "papi",
            "year": str(year),
            "unit": r["province_vi"].strip(),
            "total": r["PAPI_unweighted_total_6_60"].strip(),
            "rank": "",
            "group": "",
            "source": PAPI_OFFICIAL_URL,
            "note": "blank in the official file" if blank else "",
            **values,
        }
        out.append(row)
    return out


def _par_rows(rows: list[dict[str, str]], components: bool) -> list[dict[str, str]]:
    out = []
    for r in rows:
        has_components = bool(r["appraisal_points"].strip())
        if components and not has_components:
            continue
        row = {
            "ruleset": "moha.province",
            "year": r["year"].strip(),
            "unit": r["province"].strip(),
            "total": r["score_pct"].strip(),
            "rank": r["rank"].strip(),
            "group": r["group"].strip(),
            "source": r["source_url"].strip(),
            "note": r["notes"].strip(),
        }
        if components:
            for col, code in PAR_COMPONENTS.items():
                row[code] = r[col].strip()
        out.append(row)
    return out


def _unique_urls(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: dict[str, None] = {}
    for r in rows:
        for url in re.findall(r"https?://\S+", r["source"] + " " + r.get("note", "")):
            seen[url.rstrip(").,;'")] = None
    return [{"url": u} for u in seen]


DATASETS = [
    Dataset(
        name="papi-2011-2016",
        title="PAPI 2011–2016: 63 provinces × 6 dimensions × 22 sub-dimensions and the total"
        " (official file)",
        source_file="papi/papi_2011_2016_official.csv",
        rulesets=["papi"],
        codes=PAPI_CODES,
        convert=_papi_rows,
        sources=[
            {
                "title": "PAPI_2011-2016.xlsx, official data from papi.org.vn, as copied in the"
                " repository mdtrinh/vietnamdata (data-raw/PAPI)",
                "url": PAPI_OFFICIAL_URL,
            },
            {
                "title": "PAPI FAQ (structure: 6 dimensions, 22 sub-dimensions)",
                "url": "http://papi.org.vn/eng/faq",
            },
        ],
        conversion=(
            "One row per province-year (378). unit = province_vi; total ="
            " PAPI_unweighted_total_6_60 (6–60). Dimension and sub-dimension columns renamed to"
            " the codes of rulesets/papi: D1…D6 and D1.1…; the transparency sub-dimensions are"
            " D2.2 poverty lists, D2.3 communal budget, D2.4 land-use plans (D2.1, access to"
            " information, starts in 2018). The two D3 columns change meaning in 2016: for"
            " 2011–2015 D3_2 → D3.4 (People's Inspection Boards) and D3_3 → D3.5 (Community"
            " Investment Supervision Boards); for 2016 D3_2 → D3.2 (responsiveness to citizen"
            " actions) and D3_3 → D3.4 (People's Inspection Boards). Numbers copied as text."
            " rank and group are not in the file (PAPI groups are computed across the batch by"
            " parindex_papi_sipas.groups)."
        ),
        notes=(
            "Bắc Giang and Đồng Tháp 2014 are blank in the official file: reproduce skips them."
            " Values have 6 decimals (trailing zeros dropped), so the tolerance is 5e-7 per"
            " component plus 5e-7 for the total."
        ),
    ),
    Dataset(
        name="par-2018-2022",
        title="Provincial PAR INDEX 2018–2022: published values, ranks and groups (partial)",
        source_file="par/par_index_published_2018_2022.csv",
        rulesets=["moha.province"],
        codes=[],
        convert=lambda rows: _par_rows(rows, components=False),
        sources=[],  # filled from the rows
        conversion=(
            "One row per published figure. unit = province; total = score_pct; rank, group"
            " and source_url copied; notes copied to note. Component points are left out (see"
            " par-2020-components). Rows without a value (a rank only) are kept and are skipped"
            " by reproduce with a reason."
        ),
        notes=(
            "Partial: top and bottom places found in news reports, not all 63 provinces, so"
            " ranks can be recomputed only for the complete top of each year (reproduce says"
            " so). Years without a moha.province ruleset (2019) are skipped with a reason."
        ),
    ),
    Dataset(
        name="par-2020-components",
        title="Provincial PAR INDEX 2020 top 10: the four published components and the total",
        source_file="par/par_index_published_2018_2022.csv",
        rulesets=["moha.province"],
        codes=list(PAR_COMPONENTS.values()),
        convert=lambda rows: _par_rows(rows, components=True),
        sources=[],
        conversion=(
            "The 2020 rows that have component points (the top-10 table). Columns appraisal_points,"
            " sipas_points, leader_survey_points, socioeconomic_impact_points → appraisal, sipas,"
            " leaders, impact (the codes of the `components` view of rulesets/moha.province/"
            "2020.yaml); total = score_pct; rank, group, source copied. Numbers copied as text."
        ),
        notes=(
            "Components are published to 2 decimals (an integer such as 5 is read at the row's"
            " precision, 5.00), so a recomputed total may differ from the published one by up"
            " to 4 × 0.005 + 0.005 = 0.025 (Quảng Ninh: 57.66 + 9.56 + 18.83 + 5 = 91.05,"
            " published 91.04)."
        ),
    ),
]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _csv_text(rows: list[dict[str, str]], codes: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = BASE_COLUMNS + list(codes)
    writer.writerow(columns)
    for r in rows:
        # (no formula neutralising here: these files are parindex's own input, read back as
        # written; a "'" added for spreadsheets would become part of the published text)
        writer.writerow([r.get(c, "") for c in columns])
    return buf.getvalue()


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sidecar(
    ds: Dataset,
    rows: list[dict[str, str]],
    source_bytes: bytes,
    csv_bytes: bytes,
    sources: list[dict[str, str]],
) -> str:
    years = sorted({int(r["year"]) for r in rows})
    lines = [
        "# Generated by tools/convert_datasets.py — edit the converter, not this file.",
        f"name: {ds.name}",
        f"title: {_yaml_str(ds.title)}",
        f"file: {ds.name}.csv",
        "format: parindex-published-dataset/1",
        f"rulesets: [{', '.join(ds.rulesets)}]",
        f"years: [{', '.join(map(str, years))}]",
        f"rows: {len(rows)}",
        f"sha256: {_sha256(csv_bytes)}",
        "converted_from:",
        f"  file: {_yaml_str('shared/data/' + ds.source_file)}",
        f"  sha256: {_sha256(source_bytes)}",
        f"conversion: {_yaml_str(ds.conversion)}",
        f"notes: {_yaml_str(ds.notes)}",
        "sources:",
    ]
    for s in sources:
        lines.append(f"  - url: {_yaml_str(s['url'])}")
        if "title" in s:
            lines.append(f"    title: {_yaml_str(s['title'])}")
    return "\n".join(lines) + "\n"


def build(shared: Path) -> dict[str, bytes]:
    """Every output file name → its bytes."""
    files: dict[str, bytes] = {}
    for ds in DATASETS:
        src = shared / "data" / ds.source_file
        source_bytes = src.read_bytes()
        rows_in = list(csv.DictReader(io.StringIO(source_bytes.decode("utf-8"))))
        rows = ds.convert(rows_in)
        csv_bytes = _csv_text(rows, ds.codes).encode("utf-8")
        sources = ds.sources or _unique_urls(rows)
        files[f"{ds.name}.csv"] = csv_bytes
        files[f"{ds.name}.dataset.yaml"] = _sidecar(
            ds, rows, source_bytes, csv_bytes, sources
        ).encode("utf-8")
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared",
        help="the shared/ folder (default: ../shared next to the project)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files on disk; exit 1 if any differs"
    )
    args = parser.parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"convert_datasets: no data folder in {args.shared}", file=sys.stderr)
        return 2
    files = build(args.shared)
    if args.check:
        stale = [
            n
            for n, b in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != b
        ]
        for n in stale:
            print(f"convert_datasets: {args.out / n} is out of date", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        atomic_write_bytes(args.out / name, data)  # a failed run leaves the old datasets whole
        print(f"wrote {args.out / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
