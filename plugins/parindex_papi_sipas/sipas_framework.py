"""The SIPAS framework: elements, their items, and the YAML form of another framework.

The 2017 framework (Decision 2640/QĐ-BNV, 10/10/2017: 5 elements, 22 criteria [confirmed]; criteria
per element 4+5+6+3+4 and their wording [unverified]) is defined here, in code, rather than as a
ruleset YAML: a ruleset adds points up a tree, while SIPAS averages percentages, so the ruleset
format would describe it wrongly. Another framework can be given as a small YAML file
(:func:`load_framework`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex.model.errors import ParindexError, SchemaError
from parindex.model.i18n import N_

__all__ = ["SIPAS_2017", "ElementDef", "Framework", "ItemDef", "SipasError", "load_framework"]


class SipasError(ParindexError):
    """A SIPAS answer file or framework is malformed."""

    kind = "sipas"


@dataclass(frozen=True)
class ItemDef:
    code: str
    en: str
    vi: str | None = None


@dataclass(frozen=True)
class ElementDef:
    code: str
    en: str
    vi: str
    items: tuple[ItemDef, ...]
    #: The code of the element's "in general" question, used when ``element="general_item"``.
    general_item: str | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    source: str
    url: str | None
    status: str
    levels: int
    elements: tuple[ElementDef, ...]
    #: The code of the overall question ("the service in general"), for ``index="overall_item"``.
    overall_item: str | None = None
    note: str | None = None

    def item_codes(self) -> list[str]:
        """All item codes in framework order: criteria, then general items, then the overall."""
        codes = [item.code for e in self.elements for item in e.items]
        codes += [e.general_item for e in self.elements if e.general_item]
        if self.overall_item:
            codes.append(self.overall_item)
        return codes

    @property
    def criteria_count(self) -> int:
        return sum(len(e.items) for e in self.elements)


def _items(prefix: str, names: Sequence[str]) -> tuple[ItemDef, ...]:
    return tuple(ItemDef(f"{prefix}.{i}", name) for i, name in enumerate(names, start=1))


#: The 2017–2020(25) framework of Decision 2640/QĐ-BNV. Elements and the total of 22 criteria are
#: confirmed; the split 4+5+6+3+4 and the criteria wording are an unverified recollection
#: (``shared/reference/sipas_papi.md`` §2.2) and must be checked against the decision's text.
SIPAS_2017 = Framework(
    id="sipas.2017",
    title=N_("SIPAS 2017 framework (QĐ 2640/QĐ-BNV): 5 elements, 22 criteria"),
    source="Quyết định 2640/QĐ-BNV ngày 10/10/2017 (Đề án đo lường sự hài lòng)",
    url="http://thanhtravietnam.vn/tim-hieu-phap-luat/do-luong-su-hai-long-cua-nguoi-dan-to-chuc-doi-voi-su-phuc-vu-cua-cqhcnn-177636",
    status="unverified",
    levels=5,
    elements=(
        ElementDef(
            "E1",
            "Access to public administrative services",
            "Tiếp cận dịch vụ hành chính công của cơ quan hành chính nhà nước",
            _items(
                "E1",
                (
                    "Seating at the service point",
                    "Equipment is sufficient",
                    "Equipment is modern",
                    "Equipment is easy to use",
                ),
            ),
            general_item="E1.G",
        ),
        ElementDef(
            "E2",
            "Administrative procedures",
            "Thủ tục hành chính",
            _items(
                "E2",
                (
                    "Procedure posted in full",
                    "Procedure posted accurately",
                    "Dossier components as regulated",
                    "Fees as regulated",
                    "Processing time as regulated",
                ),
            ),
            general_item="E2.G",
        ),
        ElementDef(
            "E3",
            "Civil servants handling the case",
            "Công chức trực tiếp giải quyết công việc",
            _items(
                "E3",
                (
                    "Polite",
                    "Listens",
                    "Answers fully",
                    "Guides the dossier carefully",
                    "Guidance is easy to understand",
                    "Complies with the rules",
                ),
            ),
            general_item="E3.G",
        ),
        ElementDef(
            "E4",
            "Results of the service",
            "Kết quả cung ứng dịch vụ hành chính công",
            _items(
                "E4",
                (
                    "Result as regulated",
                    "Information in the result is complete",
                    "Information in the result is accurate",
                ),
            ),
            general_item="E4.G",
        ),
        ElementDef(
            "E5",
            "Receiving and handling feedback",
            "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
            _items(
                "E5",
                (
                    "A feedback channel exists",
                    "Feedback is easy to submit",
                    "The agency handles feedback actively",
                    "The result is notified promptly",
                ),
            ),
            general_item="E5.G",
        ),
    ),
    overall_item="G",
    note=(
        "Elements and the total of 22 criteria: confirmed (QĐ 2640/QĐ-BNV). Criteria per element"
        " (4+5+6+3+4), their wording, and the 'in general' items E1.G…E5.G and G: unverified."
    ),
)


def load_framework(path: str | Path) -> Framework:
    """Read a framework from YAML::

    id: sipas.custom
    title: My survey
    source: "..."
    status: unverified
    levels: 5
    overall_item: G            # optional
    elements:
      - code: E1
        en: Access
        vi: Tiếp cận
        general_item: E1.G     # optional
        items: [{code: E1.1, en: Seating}, ...]
    """
    from parindex.api import load_yaml_file  # the core's safe, located YAML reader

    data, lines = load_yaml_file(Path(path))
    where = str(path)

    def fail(message: str, at: tuple[str | int, ...], code: str | None = None) -> SchemaError:
        return SchemaError(
            message,
            file=where,
            line=lines.line_of(at),
            code=code,
            field=".".join(str(p) for p in at) or None,
        )

    def need(mapping: Any, key: str, what: str, at: tuple[str | int, ...]) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise fail(f"{what} needs {key!r}", at)
        return mapping[key]

    elements: list[ElementDef] = []
    raw_elements = need(data, "elements", "a framework", ())
    if not isinstance(raw_elements, list) or not raw_elements:
        raise fail("'elements' must be a non-empty list", ("elements",))
    for e, raw in enumerate(raw_elements):
        at: tuple[str | int, ...] = ("elements", e)
        code = str(need(raw, "code", "an element", at))
        raw_items = need(raw, "items", f"element {code}", at)
        if not isinstance(raw_items, list) or not raw_items:
            raise fail("'items' must be a non-empty list", (*at, "items"), code)
        items = []
        for i, item in enumerate(raw_items):
            item_code = str(need(item, "code", "an item", (*at, "items", i)))
            items.append(ItemDef(item_code, str(item.get("en", "")), item.get("vi")))
        general = raw.get("general_item")
        elements.append(
            ElementDef(
                code,
                str(raw.get("en", code)),
                str(raw.get("vi", "")),
                tuple(items),
                str(general) if general is not None else None,
            )
        )
    levels = need(data, "levels", "a framework", ())
    if not isinstance(levels, int) or isinstance(levels, bool) or not 2 <= levels <= 11:
        raise fail("'levels' must be an integer from 2 to 11", ("levels",))
    overall = data.get("overall_item")
    framework = Framework(
        id=str(need(data, "id", "a framework", ())),
        title=str(data.get("title", "")),
        source=str(data.get("source", "")),
        url=data.get("url"),
        status=str(data.get("status", "unverified")),
        levels=levels,
        elements=tuple(elements),
        overall_item=str(overall) if overall is not None else None,
        note=data.get("note"),
    )
    codes = framework.item_codes()
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise fail(f"item codes used twice: {', '.join(dupes)}", ("elements",))
    return framework
