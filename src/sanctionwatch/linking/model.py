"""What linking produces: ties between a vessel seen in AIS and listed entities, and the
identity problems found on the way (issue 13).

A ``Link`` says which list record a vessel (an MMSI) is tied to, how (``via``), how sure
(``confidence``, 0-1) and on what evidence: the identity-history rows of the vessel that
carried the matching value, and the list record. A ``IdentityFlag`` is a problem seen while
linking that is not a link: a listed ship's IMO number broadcast by a hull whose size or
type contradicts the listed ship's (a zombie or borrowed identity), or by two MMSIs at once.
The risk model (``risk/``) reads both; the command line prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Via = Literal["imo", "mmsi", "name", "former_name", "owner"]
FlagKind = Literal["zombie_identity", "borrowed_identity"]


@dataclass(frozen=True)
class Link:
    mmsi: int
    entity_id: str  # the listed entity's FtM id
    caption: str
    list: str  # list name ("un", "ofac_sdn", "uk_ofsi", "eu", "ftm", ...)
    record: str  # the list's own record id (UN reference number, OFAC ent_num, ...)
    via: Via
    confidence: float  # 0..1
    reason: str  # one sentence an analyst reads ("IMO 8712362 (check digit valid) ...")
    # {"kind": "identity", "mmsi", "first_seen", "last_seen" (ISO 8601, UTC), "field",
    # "value", "source"} for the identity rows that carried the value; {"kind":
    # "list_record", "list", "record", "entity_id", "version", "source"} for the list side;
    # for name links the screening explanation ({"kind": "screening", "score", "explanation"}).
    evidence: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    # Set when the listed identity is broadcast under another name or MMSI than the list
    # gives (identity laundering): what differs.
    laundering: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "list": self.list,
            "record": self.record,
            "via": self.via,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "laundering": self.laundering,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class IdentityFlag:
    mmsi: int
    kind: FlagKind
    reason: str
    evidence: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "reason": self.reason, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class LinkResult:
    links: tuple[Link, ...]
    flags: tuple[IdentityFlag, ...]
