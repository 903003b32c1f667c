"""The hidden identity of a generated workbook, shared by the writer and the reader.

It is stored twice: as custom document properties (visible in Excel's 属性 dialog, kept by WPS and
LibreOffice) and on a very hidden sheet, one ``name | value`` row each, so a file that lost one of
them can still be identified.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from nianbao import __version__
from nianbao.layout import get_layout

META_SHEET = "_nianbao"
PROPERTY_PREFIX = "nianbao."
MEMBERS_SHEET = "汇总单位"  # consolidated workbooks: the units included and those left out (visible)


@dataclass(frozen=True)
class TemplateMeta:
    layout: str
    year: int
    unit_name: str
    unit_code: str = ""
    template_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    fingerprint: str = ""
    version: str = __version__
    campaign: str = ""  # workspace id of the collection campaign, when sent by one
    members: str = ""  # consolidated workbooks: member unit codes, separated by "|"
    left_out: str = ""  # consolidated workbooks made with units missing: their names, separated by "|"

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", get_layout(self.layout).fingerprint)

    def as_pairs(self) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in asdict(self).items()]

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> TemplateMeta:
        """Rebuild from stored strings; raises ``KeyError``/``ValueError`` when incomplete."""
        return cls(
            layout=pairs["layout"],
            year=int(pairs["year"]),
            unit_name=pairs["unit_name"],
            unit_code=pairs.get("unit_code", ""),
            template_id=pairs.get("template_id", ""),
            fingerprint=pairs.get("fingerprint", ""),
            version=pairs.get("version", ""),
            campaign=pairs.get("campaign", ""),
            members=pairs.get("members", ""),
            left_out=pairs.get("left_out", ""),
        )
