"""A unit's years side by side: index, rank, group and components, and the change year on year.

Sources are the bundled published datasets (``--dataset NAME``; by default every dataset of
``moha.province``) and the user's own score cards (JSON from ``parindex score --format json``) or
assessments (scored here). The change is written as the provinces' plans write it: "+3,04 điểm,
+2 bậc" (vi) or "+3.04 points, +2 places" (en): points are the index's change, places the rank's
(a smaller rank is a gain). A year missing from the sources is a gap: the next change is against
the last year present, and says so.

Regions: "rank N of M in REGION" is computed only when the year's data ranks every province of
the region (published data is partial: otherwise it says how many are missing). Across the 2025
reorganisation a merged unit is shown with its predecessors' own published values, each under
its name; no blended number is made.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from parindex.analysis.regions import Regions, Reorganisation, name_key
from parindex.model.decimals import fmt
from parindex.model.errors import ConfigError, InputFileError, ParindexError
from parindex.model.i18n import N_, add_templates, localize

BASE_COLUMNS = ("ruleset", "year", "unit", "total", "rank", "group", "source", "note")


@dataclass
class YearPoint:
    unit: str
    year: int
    ruleset: str
    index: Decimal | None = None
    rank: int | None = None
    group: str | None = None
    components: dict[str, Decimal] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    since: int
    points: Decimal | None
    places: int | None

    def text(self, locale: str = "en", places: int = 2) -> str:
        parts = []
        if self.points is not None:
            sign = "+" if self.points > 0 else ("−" if self.points < 0 else "±")
            word = "điểm" if locale == "vi" else "points"
            parts.append(f"{sign}{fmt(abs(self.points), places, locale=locale)} {word}")
        if self.places is not None:
            sign = "+" if self.places > 0 else ("−" if self.places < 0 else "±")
            word = "bậc" if locale == "vi" else ("place" if abs(self.places) == 1 else "places")
            parts.append(f"{sign}{abs(self.places)} {word}")
        return ", ".join(parts)


@dataclass(frozen=True)
class HistoryRow:
    point: YearPoint
    change: Change | None
    region: str | None = None
    region_rank: str | None = None
    region_average: Decimal | None = None
    label: str | None = None  # "predecessor of …" across the reorganisation


# --------------------------------------------------------------------------------- reading
def _decimal(text: str, file: str, line: int, column: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputFileError(f"{column} {text!r} is not a number", file=file, line=line) from None
    if not value.is_finite():
        raise InputFileError(f"{column} {text!r} is not a number", file=file, line=line)
    return value


def read_dataset_csv(path: Path, name: str) -> list[YearPoint]:
    """The rows of a published dataset CSV (``parindex-published-dataset/1``)."""
    out = []
    file = str(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        extra = [c for c in reader.fieldnames or () if c not in BASE_COLUMNS]
        for row in reader:
            line = reader.line_num
            try:
                year = int(row["year"])
            except (KeyError, TypeError, ValueError):
                raise InputFileError("year is not a whole number", file=file, line=line) from None
            rank_text = (row.get("rank") or "").strip()
            if rank_text and not rank_text.isdigit():
                raise InputFileError(
                    f"rank {rank_text!r} is not a whole number", file=file, line=line
                )
            point = YearPoint(
                unit=row["unit"].strip(),
                year=year,
                ruleset=(row.get("ruleset") or "").strip(),
                index=_decimal(row.get("total") or "", file, line, "total"),
                rank=int(rank_text) if rank_text else None,
                group=(row.get("group") or "").strip() or None,
                sources=[f"{name}: {row.get('source') or ''}".rstrip(": ")],
            )
            for column in extra:
                value = _decimal(row.get(column) or "", file, line, column)
                if value is not None:
                    point.components[column] = value
            out.append(point)
    return out


def read_card_files(paths: Sequence[str | Path], score: Any) -> list[YearPoint]:
    """Score cards (JSON) or assessments (YAML, scored with ``score``) as year points."""
    from parindex.model.documents import ScoreCard

    out = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8") if Path(path).is_file() else None
        if text is None:
            raise InputFileError("file not found", file=str(path))
        card: ScoreCard
        if text.lstrip().startswith("{"):
            try:
                card = ScoreCard.from_json(text)
            except ValueError as exc:
                raise InputFileError(f"not a score card: {exc}", file=str(path)) from None
        else:
            card = score(path)
        out.append(card_point(card, f"card: {path}"))
    return out


def card_point(card: Any, source: str) -> YearPoint:
    """One score card as a year point: its index, group and top-level points (a card has no
    rank of its own: a rank needs the batch)."""
    point = YearPoint(
        unit=card.unit.name or card.unit.id,
        year=card.year,
        ruleset=card.ruleset,
        index=card.index,
        group=card.group,
        sources=[source],
    )
    for node in card.nodes:
        if node.depth == 0 and node.points is not None:
            point.components[node.code] = node.points
    if card.unverified:
        point.notes.append("unverified parts: " + ", ".join(card.unverified_codes))
    return point


def merge_points(groups: Iterable[list[YearPoint]]) -> list[YearPoint]:
    """One point per (unit, year): the first source's values, filled from the later ones; a
    later source that disagrees is noted, never silently preferred."""
    merged: dict[tuple[str, int], YearPoint] = {}
    for points in groups:
        for p in points:
            key = (name_key(p.unit), p.year)
            have = merged.get(key)
            if have is None:
                merged[key] = p
                continue
            for attr in ("index", "rank", "group"):
                mine, theirs = getattr(have, attr), getattr(p, attr)
                if mine is None:
                    setattr(have, attr, theirs)
                elif theirs is not None and theirs != mine:
                    have.notes.append(f"{attr} {theirs} in {p.sources[0]} differs; {mine} kept")
            for code, value in p.components.items():
                have.components.setdefault(code, value)
            have.sources.extend(s for s in p.sources if s not in have.sources)
    return sorted(merged.values(), key=lambda p: (name_key(p.unit), p.year))


# --------------------------------------------------------------------------------- history
def _region_rank(
    point: YearPoint, all_points: Sequence[YearPoint], regions: Regions, locale: str
) -> tuple[str | None, str | None]:
    region = regions.region_of(point.unit)
    if region is None:
        return None, None
    name = region.name(locale)
    if point.rank is None:
        return name, None
    members = {name_key(p) for p in region.provinces}
    ranked = {
        name_key(p.unit): p.rank
        for p in all_points
        if p.year == point.year and p.rank is not None and name_key(p.unit) in members
    }
    if len(ranked) < len(members):
        if locale == "vi":
            return name, (
                f"hạng trong vùng chưa tính được: dữ liệu xếp hạng {len(ranked)}/{len(members)}"
                f" tỉnh của vùng {name}"
            )
        return name, (
            f"regional rank not computable: {len(ranked)} of {len(members)} provinces of {name}"
            " ranked in the data"
        )
    # Competition ranking within the region by the national rank (ties share a place).
    place = 1 + sum(1 for r in ranked.values() if r < point.rank)
    if locale == "vi":
        return name, f"xếp thứ {place}/{len(members)} trong vùng {name}"
    return name, f"rank {place} of {len(members)} in {name}"


def history(
    points: Sequence[YearPoint],
    unit: str | None = None,
    *,
    regions: Regions | None = None,
    reorganisation: Reorganisation | None = None,
    locale: str = "en",
) -> list[HistoryRow]:
    """Rows for ``unit`` (or every unit), year by year, with the change since the previous year
    present. A unit formed in the reorganisation brings its predecessors' rows, labelled."""
    wanted: list[tuple[str, str | None]] = []  # (unit key, label)
    if unit is not None:
        key = name_key(unit)
        merge = reorganisation.merge_forming(unit) if reorganisation else None
        if merge is not None:
            assert reorganisation is not None
            for before in merge.predecessors:
                wanted.append(
                    (
                        name_key(before),
                        f"predecessor of {merge.new} from {reorganisation.effective}",
                    )
                )
        else:
            wanted.append((key, None))
        if not any(name_key(p.unit) in {k for k, _ in wanted} for p in points):
            raise ConfigError(
                f"no published or scored values for unit {unit!r}",
                hint="units in the data: "
                + ", ".join(sorted({p.unit for p in points})[:20])
                + ("…" if len({p.unit for p in points}) > 20 else ""),
            )
    else:
        wanted = [(k, None) for k in dict.fromkeys(name_key(p.unit) for p in points)]
    rows: list[HistoryRow] = []
    for wanted_key, label in wanted:
        mine = sorted((p for p in points if name_key(p.unit) == wanted_key), key=lambda p: p.year)
        previous: YearPoint | None = None
        for p in mine:
            change = None
            if previous is not None:
                change = Change(
                    previous.year,
                    p.index - previous.index
                    if p.index is not None and previous.index is not None
                    else None,
                    previous.rank - p.rank
                    if p.rank is not None and previous.rank is not None
                    else None,
                )
            region_name, region_rank, average = None, None, None
            if regions is not None:
                region_name, region_rank = _region_rank(p, points, regions, locale)
                region = regions.region_of(p.unit)
                if region is not None:
                    got = regions.averages.get((p.year, region.code))
                    average = got[0] if got else None
            rows.append(HistoryRow(p, change, region_name, region_rank, average, label))
            previous = p
    return rows


def reorganisation_notes(unit: str, reorganisation: Reorganisation | None) -> list[str]:
    """What the 2025 reorganisation says of ``unit``, in words."""
    if reorganisation is None:
        return []
    merge = reorganisation.merge_forming(unit)
    if merge is not None:
        return [
            f"{merge.new} from {reorganisation.effective}: formed from"
            f" {', '.join(merge.predecessors)} ({reorganisation.document} {merge.article},"
            f" {merge.status}); their published values are shown apart, not blended"
        ]
    absorbed = reorganisation.merge_absorbing(unit)
    if absorbed is not None:
        return [
            f"from {reorganisation.effective} part of {absorbed.new}"
            f" ({reorganisation.document} {absorbed.article}, {absorbed.status})"
        ]
    if reorganisation.is_unmapped(unit):
        return [
            f"merged from {reorganisation.effective} ({reorganisation.document}); into which unit"
            " is not in the shipped mapping (source text not found)"
        ]
    return []


# --------------------------------------------------------------------------------- output
def _components(rows: Sequence[HistoryRow]) -> list[str]:
    return list(dict.fromkeys(c for r in rows for c in r.point.components))


def as_records(rows: Sequence[HistoryRow], locale: str = "en") -> list[dict[str, Any]]:
    out = []
    for r in rows:
        p = r.point
        out.append(
            {
                "unit": p.unit,
                "year": p.year,
                "ruleset": p.ruleset,
                "index": None if p.index is None else format(p.index, "f"),
                "rank": p.rank,
                "group": p.group,
                "components": {k: format(v, "f") for k, v in p.components.items()},
                "change": None
                if r.change is None
                else {
                    "since": r.change.since,
                    "points": None if r.change.points is None else format(r.change.points, "f"),
                    "places": r.change.places,
                    "text": r.change.text(locale),
                },
                "region": r.region,
                "region_rank": r.region_rank,
                "region_average": None
                if r.region_average is None
                else format(r.region_average, "f"),
                "label": r.label,
                "sources": p.sources,
                "notes": p.notes,
            }
        )
    return out


def render_json(rows: Sequence[HistoryRow], notes: Sequence[str], locale: str = "en") -> str:
    return json.dumps(
        {"rows": as_records(rows, locale), "notes": list(notes)}, ensure_ascii=False, indent=2
    )


def table_rows(rows: Sequence[HistoryRow], locale: str = "en") -> tuple[list[str], list[list[str]]]:
    comps = _components(rows)
    vi = locale == "vi"
    headers = [
        "đơn vị" if vi else "unit",
        "năm" if vi else "year",
        "chỉ số" if vi else "index",
        "hạng" if vi else "rank",
        "nhóm" if vi else "group",
        *comps,
        "so với năm trước" if vi else "change",
        "vùng" if vi else "region",
    ]
    body = []
    for r in rows:
        p = r.point
        change = ""
        if r.change is not None:
            change = r.change.text(locale)
            if r.change.since != p.year - 1:
                change += f" (so với {r.change.since})" if vi else f" (vs {r.change.since})"
        region = r.region_rank or (r.region or "")
        if r.region_average is not None:
            word = "TB vùng" if vi else "regional average"
            region += f"; {word} {fmt(r.region_average, 2, locale=locale)}"
        body.append(
            [
                p.unit + (f" ({localize(r.label, locale)})" if r.label else ""),
                str(p.year),
                fmt(p.index, 2, locale=locale) if p.index is not None else "—",
                str(p.rank) if p.rank is not None else "—",
                p.group or "—",
                *(
                    fmt(p.components[c], 2, locale=locale) if c in p.components else ""
                    for c in comps
                ),
                change,
                region,
            ]
        )
    return headers, body


def render_csv(rows: Sequence[HistoryRow], locale: str = "en") -> str:
    """One line per unit and year; numbers with a decimal point and blanks for what is absent
    (for programs), the change also in words in ``locale``."""
    import io

    from parindex.model.text import safe_row

    comps = _components(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "unit", "year", "ruleset", "index", "rank", "group", *comps, "since",
            "change_points", "change_places", "change", "region", "region_rank",
            "region_average", "label",
        ]
    )  # fmt: skip

    def num(value: Decimal | None) -> str:
        return "" if value is None else format(value, "f")

    for r in rows:
        p, c = r.point, r.change
        writer.writerow(
            safe_row(
                [
                    p.unit,
                    p.year,
                    p.ruleset,
                    num(p.index),
                    "" if p.rank is None else p.rank,
                    p.group or "",
                    *(num(p.components.get(k)) for k in comps),
                    "" if c is None else c.since,
                    "" if c is None else num(c.points),
                    "" if c is None or c.places is None else c.places,
                    "" if c is None else c.text(locale),
                    r.region or "",
                    r.region_rank or "",
                    num(r.region_average),
                    r.label or "",
                ]
            )
        )
    return buffer.getvalue().rstrip("\n")


def render_text(rows: Sequence[HistoryRow], notes: Sequence[str], locale: str = "en") -> str:
    from parindex.model.layout import grid, terminal_width

    headers, body = table_rows(rows, locale)
    text = [i for i in range(1, len(headers)) if all(isinstance(r[i], str) for r in body)]
    out = [grid(body, headers, width=terminal_width(), wrap=text, spare=(0,))]
    extra = [n for r in rows for n in r.point.notes]
    if notes or extra:
        from parindex.model.i18n import gettext, localize

        out += ["", *(_fit(f"{gettext('note')}: {localize(n)}") for n in [*notes, *extra])]
    return "\n".join(out)


def _fit(line: str) -> str:
    """A note wrapped to the terminal (a command in it is never cut)."""
    import textwrap

    from parindex.model.layout import terminal_width

    lines = textwrap.wrap(
        line,
        terminal_width() or len(line),
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines)


def points_from_datasets(datasets: Sequence[Any]) -> list[list[YearPoint]]:
    out = []
    for ds in datasets:
        try:
            out.append(read_dataset_csv(Path(ds.path), ds.name))
        except OSError as exc:
            raise InputFileError(f"cannot read dataset: {exc}", file=str(ds.path)) from None
    return out


__all__ = [
    "Change",
    "HistoryRow",
    "ParindexError",
    "YearPoint",
    "as_records",
    "card_point",
    "history",
    "merge_points",
    "points_from_datasets",
    "read_card_files",
    "read_dataset_csv",
    "render_csv",
    "render_json",
    "render_text",
    "reorganisation_notes",
]


def version_changes(rows: Sequence[HistoryRow], version_of: Any) -> list[str]:
    """Notes where consecutive years of a unit are scored under different ruleset versions
    (``version_of(ruleset, year)`` gives the ruleset, or its version, or None when no version
    covers it): the change in points then mixes performance and rules. With the rulesets, the
    note says what changed, compared as ``parindex compare`` compares them."""
    notes: list[str] = []
    seen: set[tuple[str, int, int]] = set()
    for previous, row in pairwise(rows):
        a, b = previous.point, row.point
        if name_key(a.unit) != name_key(b.unit) or a.ruleset != b.ruleset or not a.ruleset:
            continue
        key = (a.ruleset, a.year, b.year)
        if key in seen:
            continue
        seen.add(key)
        got_a, got_b = version_of(a.ruleset, a.year), version_of(b.ruleset, b.year)
        before, after = (getattr(g, "version", g) for g in (got_a, got_b))
        if before and after and before != after:
            what = _what_changed(got_a, got_b)
            notes.append(
                f"{a.year} → {b.year}: scored under {a.ruleset} version {before}, then {after};"
                + (f" {what};" if what else "")
                + f" what changed: parindex diff {a.ruleset}@{before} {a.ruleset}@{after}"
            )
    return notes


# the notes above, under --locale vi (each part of a note between "; " on its own)
add_templates(
    N_("{a} → {b}: scored under {ruleset} version {old}, then {new}"),
    N_("rules changed for {count} node(s) ({codes})"),
    N_("what changed: {command}"),
    # the 2025 reorganisation (reorganisation_notes, the label of a predecessor's rows)
    N_(
        "{unit} from {date}: formed from {units} ({document} {article}, {status}); their"
        " published values are shown apart, not blended"
    ),
    N_("from {date} part of {unit} ({document} {article}, {status})"),
    N_("predecessor of {unit} from {date}"),
    N_("art. 1 item {number}"),
    N_("art. 1"),
    N_("{what} {value} in {source} differs; {before} kept"),  # a published value set aside
)
#: The phrases of _what_changed that are whole messages of the catalogue.
CHANGE_PHRASES = (
    N_("maximum changed"),
    N_("groups changed"),
    N_("maximum and groups changed"),
    N_("no rule changed"),
)


def _what_changed(a: Any, b: Any) -> str:
    """The rule changes between two rulesets in one phrase ("" when they are not at hand)."""
    from parindex.analysis.planning.compare import code_key, rule_changes
    from parindex.model.documents import Ruleset

    if not (isinstance(a, Ruleset) and isinstance(b, Ruleset)):
        return ""
    nodes, settings = rule_changes(a, b)
    parts = []
    if nodes:
        codes = sorted(nodes, key=code_key)
        shown = ", ".join(codes[:8]) + (" …" if len(codes) > 8 else "")
        parts.append(f"rules changed for {len(codes)} node(s) ({shown})")
    changed = [s.split()[1] for s in settings]  # "ruleset groups changed between …"
    if changed:
        parts.append(f"{' and '.join(changed)} changed")
    return "; ".join(parts) or "no rule changed"
