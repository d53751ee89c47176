"""The listed ships evaders take their identities from: every ship of a DPRK programme in
the current versions of the lists a store holds (OFAC's DPRK* programmes, the UK's and the
UN's North Korea regimes, or a DPRK flag), as its list gives it."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.lists.identifiers import is_ship_imo
from sanctionwatch.lists.store import ListStore, StoredEntity

DPRK_WORDS = ("dprk", "north korea")


@dataclass(frozen=True)
class ListedShip:
    """One listed ship of a DPRK programme, as its list gives it."""

    list_name: str
    version: str
    record_id: str
    entity_id: str
    caption: str
    imo: str | None  # seven digits, check digit valid
    mmsis: tuple[int, ...]
    previous_names: tuple[str, ...]
    flags: tuple[str, ...]  # ISO 3166 alpha-2, lower case
    types: tuple[str, ...]

    def citation(self) -> dict[str, str]:
        return {
            "list": self.list_name,
            "version": self.version,
            "record": self.record_id,
            "entity_id": self.entity_id,
            "caption": self.caption,
        }


def listed_dprk_ships(store: ListStore) -> list[ListedShip]:
    """Every ship of a DPRK programme (or DPRK flag) in the current list versions."""
    ships: list[ListedShip] = []
    for name in store.list_names():
        version = store.find_version(name)
        for entity in store.iter_entities(version.id):
            if entity.schema == "Vessel" and _dprk(entity):
                ships.append(_ship(entity, name, version.version))
    return sorted(ships, key=lambda s: (s.list_name, s.record_id))


def _props(entity: StoredEntity, name: str) -> tuple[str, ...]:
    return tuple(entity.data["properties"].get(name, []))


def _dprk(entity: StoredEntity) -> bool:
    programmes = " ".join(_props(entity, "program")).lower()
    return any(word in programmes for word in DPRK_WORDS) or "kp" in _props(entity, "flag")


def _ship(entity: StoredEntity, list_name: str, version: str) -> ListedShip:
    imos = ["".join(c for c in v if c.isdigit()) for v in _props(entity, "imoNumber")]
    valid = [imo for imo in imos if is_ship_imo(imo)]
    return ListedShip(
        list_name=list_name,
        version=version,
        record_id=entity.record_id,
        entity_id=entity.entity_id,
        caption=entity.caption,
        imo=valid[0] if valid else None,
        mmsis=tuple(sorted({int(v) for v in _props(entity, "mmsi") if v.strip().isdigit()})),
        previous_names=_props(entity, "previousName"),
        flags=tuple(f.lower() for f in _props(entity, "flag")),
        types=_props(entity, "type"),
    )


__all__ = ["ListedShip", "listed_dprk_ships"]
