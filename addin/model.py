"""The report model: one annual report, whatever it was read from.

A :class:`Report` holds the report's format (which official tables it uses), year,
agency, contact details, the prose of its sections and every table cell as typed
(``raw``) together with its normalised value. Readers build it; the validator and
the writers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .findings import Finding
from .formats import FORMATS, Format, load_format
from .layout import template_locations
from .values import EMPTY, CellValue, parse_value

#: Contact fields of the report preamble (联系地址、邮编、电话).
CONTACT_FIELDS = ("address", "postcode", "phone")
#: Optional fields of the closing block (GB/T 9704 落款): 署名 (the signing agency, when
#: not the agency itself) and 成文日期 (as typed, e.g. “2026年1月20日”).
CLOSING_FIELDS = ("signer", "signing_date")
#: Section keys: 一 总体情况 … 六 其他需要报告的事项; s2–s4 are optional text before the tables.
SECTION_KEYS = ("s1", "s2", "s3", "s4", "s5", "s6")

_EMPTY = CellValue(None, EMPTY)
_SPECS = {f: load_format(f) for f in FORMATS}


@dataclass
class Report:
    """One 政府信息公开工作年度报告.

    ``format`` is ``"2019"`` or ``"2021"`` (``None`` if the source did not say and it
    could not be told); ``cells`` maps every cell key present in the source to its
    :class:`~addin.values.CellValue`; ``extra`` keeps values whose keys the format does
    not know; ``locations`` maps keys to ``sheet!cell``; ``problems`` are findings the
    reader made (a value it had to reinterpret, a key it did not know).
    """

    format: str | None
    year: int | None = None
    agency: str = ""
    contact: dict[str, str] = field(default_factory=dict)
    signer: str = ""
    signing_date: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    cells: dict[str, CellValue] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    source: str = ""

    @property
    def spec(self) -> Format:
        """The format definition this report is read against (2021 when unknown)."""
        return _SPECS.get(self.format) or _SPECS["2021"]

    def cell(self, key: str) -> CellValue:
        return self.cells.get(key, _EMPTY)

    def number(self, key: str) -> int | Decimal | None:
        c = self.cells.get(key)
        return c.value if c is not None and c.is_number else None

    def location(self, key: str) -> str:
        return self.locations.get(key) or template_locations(self.spec).get(key, key)

    @classmethod
    def from_values(
        cls,
        format: str | None,
        values: dict[str, Any],
        *,
        year: int | None = None,
        agency: str = "",
        contact: dict[str, str] | None = None,
        sections: dict[str, str] | None = None,
        signer: str = "",
        signing_date: str = "",
        locations: dict[str, str] | None = None,
        source: str = "",
    ) -> "Report":
        """Build a report from raw values keyed by cell key, normalising each by its kind."""
        spec = load_format(format if format in FORMATS else "2021")
        cells, extra = {}, {}
        for key, raw in values.items():
            cs = spec.cells.get(key)
            if cs is None:
                extra[key] = raw
            else:
                cells[key] = parse_value(raw, cs.kind)
        return cls(
            format=format,
            year=year,
            agency=agency,
            contact=dict(contact or {}),
            signer=signer or "",
            signing_date=signing_date or "",
            sections=dict(sections or {}),
            cells=cells,
            extra=extra,
            locations=dict(locations or {}),
            source=source,
        )

    def to_json(self) -> dict:
        """The report JSON of ``spec/data-model.md`` §2 (numbers canonical, marks kept)."""
        values: dict[str, Any] = {}
        for key in self.spec.keys:
            c = self.cells.get(key)
            if c is None:
                continue
            if c.is_number:
                v = c.value
                values[key] = (int(v) if v == v.to_integral_value() else float(v)) if isinstance(v, Decimal) else v
            elif c.state == EMPTY:
                values[key] = ""
            else:
                values[key] = c.raw if isinstance(c.raw, str) else str(c.raw)
        return {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "contact": {k: self.contact.get(k, "") for k in CONTACT_FIELDS},
            # optional, written only when given: older readers of report JSON stay valid
            **{k: getattr(self, k) for k in CLOSING_FIELDS if getattr(self, k)},
            "sections": {k: self.sections[k] for k in SECTION_KEYS if self.sections.get(k)},
            "values": values,
        }
