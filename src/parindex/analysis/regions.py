"""Provinces, their socio-economic regions, and the 2025 reorganisation, from sourced reference
files (hook ``parindex_reference_data``; the Vietnamese ones ship in ``parindex_vn``).

Province names are matched loosely (no diacritics, case, hyphens or a leading "TP." / "Thành phố"
/ "Tỉnh"), so ``quang-ninh``, ``Quảng Ninh`` and ``TP. Hồ Chí Minh`` / ``Thành phố Hồ Chí Minh``
find the same province; nothing else is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.io.reference_data import find_reference, shipped_of_kind
from parindex.io.registry import Registry, default_registry
from parindex.model.errors import ConfigError, SchemaError

DEFAULT_REGIONS = "vn-regions-2023"
DEFAULT_REORGANISATION = "vn-provinces-2025"


def name_key(name: str) -> str:
    """The matching key of a unit name or id: ``TP. Hồ Chí Minh`` → ``ho chi minh``."""
    text = name.replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).lower()
    plain = re.sub(r"[-_.,]", " ", plain)
    plain = re.sub(r"\s+", " ", plain).strip()
    return re.sub(r"^(tp|thanh pho|tinh) ", "", plain)


def _source_address(entry: object) -> str:
    # a source is an address, or {url, says}: what it says stays in the file for the reader
    if isinstance(entry, dict):
        return str(entry.get("url", ""))
    return str(entry)


@dataclass(frozen=True)
class Region:
    code: str
    vi: str
    en: str
    provinces: tuple[str, ...]
    sources: tuple[str, ...] = ()  # addresses of the sources that give this region's list

    def name(self, locale: str = "en") -> str:
        return self.vi if locale == "vi" else self.en


@dataclass(frozen=True)
class Regions:
    id: str
    title: str
    document: str
    date: str
    status: str
    sources: tuple[str, ...]
    regions: tuple[Region, ...]
    averages: dict[tuple[int, str], tuple[Decimal, str]] = field(default_factory=dict)

    def region_of(self, unit: str) -> Region | None:
        key = name_key(unit)
        for region in self.regions:
            if any(name_key(p) == key for p in region.provinces):
                return region
        return None

    def by_code(self, code: str) -> Region | None:
        wanted = name_key(code)
        for region in self.regions:
            if wanted in (name_key(region.code), name_key(region.vi), name_key(region.en)):
                return region
        return None

    def provinces(self) -> list[str]:
        return [p for r in self.regions for p in r.provinces]


def load_regions(name: str | Path = DEFAULT_REGIONS, registry: Registry | None = None) -> Regions:
    data, lines = find_reference(name, "regions", registry or default_registry())

    def fail(message: str, at: tuple[str | int, ...]) -> SchemaError:
        return SchemaError(message, file=lines.file, line=lines.line_of(at))

    sources = data.get("sources") or {}
    if isinstance(sources, list):  # a plain list of addresses, for the whole file
        sources = {str(i): url for i, url in enumerate(sources)}
    if not isinstance(sources, dict):
        raise fail("'sources' must map a key to an address or {url, says}", ("sources",))
    raw = data.get("regions")
    if not isinstance(raw, list) or not raw:
        raise fail("'regions' must be a non-empty list", ("regions",))
    regions = []
    seen: dict[str, str] = {}
    for i, r in enumerate(raw):
        if not isinstance(r, dict) or "code" not in r or not isinstance(r.get("provinces"), list):
            raise fail("a region needs 'code' and a list of 'provinces'", ("regions", i))
        names = r.get("name") or {}
        for p in r["provinces"]:
            key = name_key(str(p))
            if key in seen:
                raise fail(
                    f"province {p} is in two regions ({seen[key]}, {r['code']})", ("regions", i)
                )
            seen[key] = str(r["code"])
        keys = r.get("sources") or []
        unknown = [str(k) for k in keys if k not in sources] if isinstance(keys, list) else [""]
        if unknown:
            raise fail(
                f"region {r['code']}: unknown source key(s) {', '.join(unknown)}"
                " (a list of keys under 'sources')",
                ("regions", i),
            )
        regions.append(
            Region(
                str(r["code"]),
                str(names.get("vi", r["code"])),
                str(names.get("en", r["code"])),
                tuple(str(p) for p in r["provinces"]),
                tuple(_source_address(sources[k]) for k in keys),
            )
        )
    averages: dict[tuple[int, str], tuple[Decimal, str]] = {}
    for i, a in enumerate(data.get("published_averages") or []):
        try:
            averages[(int(a["year"]), str(a["region"]))] = (
                Decimal(str(a["average"])),
                str(a.get("source", "")),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError):
            raise fail(
                "a published average needs year, region and average", ("published_averages", i)
            ) from None
    return Regions(
        str(data.get("id", name)),
        str(data.get("title", "")),
        str(data.get("document", "")),
        str(data.get("date", "")),
        str(data.get("status", "unverified")),
        tuple(_source_address(entry) for entry in sources.values()),
        tuple(regions),
        averages,
    )


@dataclass(frozen=True)
class Merge:
    """One new unit of the reorganisation and the former provinces it was formed from."""

    item: int | None  # Article 1 number, only where a source read gives it
    new: str
    predecessors: tuple[str, ...]
    status: str
    source: str  # the first source's address
    sources: tuple[str, ...] = ()  # every source's address, the first one included
    seat: str | None = None

    @property
    def article(self) -> str:
        """``art. 1 item N``, or ``art. 1`` when no source read gives the number."""
        return f"art. 1 item {self.item}" if self.item is not None else "art. 1"


@dataclass(frozen=True)
class Reorganisation:
    id: str
    document: str
    effective: str
    unchanged: tuple[str, ...]
    merges: tuple[Merge, ...]
    not_mapped: tuple[str, ...]
    missing: str | None

    @property
    def effective_year(self) -> int:
        return int(self.effective[:4])

    def merge_forming(self, unit: str) -> Merge | None:
        """The merge whose new unit is ``unit``."""
        key = name_key(unit)
        return next((m for m in self.merges if name_key(m.new) == key), None)

    def merge_absorbing(self, unit: str) -> Merge | None:
        """The merge that ``unit`` (a former province) went into."""
        key = name_key(unit)
        return next(
            (m for m in self.merges if any(name_key(p) == key for p in m.predecessors)), None
        )

    def is_unmapped(self, unit: str) -> bool:
        key = name_key(unit)
        return any(name_key(p) == key for p in self.not_mapped)

    def units_after(self) -> list[str]:
        """The units from the effective date: the unchanged ones, then the new ones."""
        return [*self.unchanged, *(m.new for m in self.merges)]


def load_reorganisation(
    name: str | Path = DEFAULT_REORGANISATION, registry: Registry | None = None
) -> Reorganisation:
    data, lines = find_reference(name, "reorganisation", registry or default_registry())

    def fail(message: str, at: tuple[str | int, ...]) -> SchemaError:
        return SchemaError(message, file=lines.file, line=lines.line_of(at))

    sources = data.get("sources") or {}
    if not isinstance(sources, dict):
        raise fail("'sources' must map a key to an address or {url, says}", ("sources",))

    def addresses(keys: list[object], at: tuple[str | int, ...]) -> tuple[str, ...]:
        unknown = [str(k) for k in keys if k not in sources]
        if unknown:
            raise fail(f"unknown source key(s) {', '.join(unknown)} (not under 'sources')", at)
        return tuple(_source_address(sources[k]) for k in keys)

    merges = []
    former: dict[str, str] = {}  # a former province → the new unit that took it
    for i, m in enumerate(data.get("merges") or []):
        at: tuple[str | int, ...] = ("merges", i)
        if not isinstance(m, dict) or not {"new", "from", "source"} <= set(m):
            raise fail("a merge needs new, from and source", at)
        if not isinstance(m["from"], list) or len(m["from"]) < 2:
            raise fail(f"merge {m['new']}: 'from' must list two or more former provinces", at)
        item = m.get("item")
        if item is not None and (isinstance(item, bool) or not isinstance(item, int)):
            raise fail(f"merge {m['new']}: 'item' must be a whole number or absent", at)
        for p in m["from"]:
            key = name_key(str(p))
            if key in former:
                raise fail(f"former province {p} is in two merges ({former[key]}, {m['new']})", at)
            former[key] = str(m["new"])
        also = m.get("also") or []
        if not isinstance(also, list):
            raise fail(f"merge {m['new']}: 'also' must be a list of source keys", at)
        urls = addresses([m["source"], *also], at)
        merges.append(
            Merge(
                item,
                str(m["new"]),
                tuple(str(p) for p in m["from"]),
                str(m.get("status", "unverified")),
                urls[0],
                urls,
                str(m["seat"]) if m.get("seat") else None,
            )
        )
    unchanged = data.get("unchanged") or {}
    missing = data.get("missing")
    return Reorganisation(
        str(data.get("id", name)),
        str(data.get("document", "")),
        str(data.get("effective", "")),
        tuple(str(p) for p in unchanged.get("provinces", ())),
        tuple(merges),
        tuple(str(p) for p in data.get("not_mapped") or ()),
        str(missing) if missing else None,
    )


def shipped_regions(registry: Registry | None = None) -> list[str]:
    return list(shipped_of_kind("regions", registry or default_registry()))


def require_region(regions: Regions, unit: str) -> Region:
    region = regions.region_of(unit)
    if region is None:
        raise ConfigError(
            f"unit {unit!r} is not a province of {regions.id}",
            hint="regions cover the 63 provinces before the 2025 reorganisation",
        )
    return region


__all__ = [
    "Merge",
    "Region",
    "Regions",
    "Reorganisation",
    "load_regions",
    "load_reorganisation",
    "name_key",
    "require_region",
]


def rank_within(table: Any, regions: Regions) -> list[tuple[Region, Any, int]]:
    """The ranking split by region and ranked again inside each (same key, same tie rule):
    (region, table, provinces in the region). A ranked unit in no region is an error."""
    from parindex.scoring.ranking import ranks

    lost = [e.unit.label for e in table.entries if _region_of_unit(regions, e.unit) is None]
    if lost:
        raise ConfigError(
            f"unit(s) {', '.join(lost)} are in no region of {regions.id}",
            hint="--within region takes the 63 provinces; name units as the regions file does",
        )
    out = []
    for region in regions.regions:
        mine = [e for e in table.entries if _region_of_unit(regions, e.unit) is region]
        if not mine:
            continue
        new_ranks = ranks([e.key for e in mine], table.ties)
        entries = tuple(
            sorted(
                (e.model_copy(update={"rank": r}) for e, r in zip(mine, new_ranks, strict=True)),
                key=lambda e: e.rank,
            )
        )
        out.append(
            (
                region,
                table.model_copy(update={"entries": entries, "unranked": ()}),
                len(region.provinces),
            )
        )
    return out


def _region_of_unit(regions: Regions, unit: Any) -> Region | None:
    for name in (unit.name, unit.id):
        if name:
            got = regions.region_of(str(name))
            if got is not None:
                return got
    return None
