"""What changed between two versions of a list: entities added, removed, and changed (which
properties, old values -> new values)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sanctionwatch.lists.model import PARTY_SCHEMATA

if TYPE_CHECKING:
    from sanctionwatch.lists.store import ListStore, ListVersion


@dataclass(frozen=True)
class PropertyChange:
    """One property of one entity: the values that went away and the values that came."""

    prop: str
    removed: list[str]
    added: list[str]


@dataclass(frozen=True)
class EntityChange:
    entity_id: str
    schema: str
    caption: str
    properties: list[PropertyChange] = field(default_factory=list)


@dataclass(frozen=True)
class DiffSummary:
    added: int
    removed: int
    changed: int

    def __str__(self) -> str:
        return f"{self.added} added, {self.changed} changed, {self.removed} removed"


@dataclass(frozen=True)
class ListDiff:
    list_name: str
    from_version: str | None
    to_version: str
    added: list[EntityChange]
    removed: list[EntityChange]
    changed: list[EntityChange]

    def summary(self) -> DiffSummary:
        return DiffSummary(len(self.added), len(self.removed), len(self.changed))

    def parties_only(self) -> ListDiff:
        """The same diff limited to persons, organisations, vessels and aircraft."""

        def keep(changes: list[EntityChange]) -> list[EntityChange]:
            return [c for c in changes if c.schema in PARTY_SCHEMATA]

        return replace(
            self, added=keep(self.added), removed=keep(self.removed), changed=keep(self.changed)
        )

    def to_json(self) -> dict[str, Any]:
        def entity(change: EntityChange, with_props: bool) -> dict[str, Any]:
            out: dict[str, Any] = {
                "id": change.entity_id,
                "schema": change.schema,
                "caption": change.caption,
            }
            if with_props:
                out["properties"] = {
                    p.prop: {"removed": p.removed, "added": p.added} for p in change.properties
                }
            return out

        return {
            "list": self.list_name,
            "from": self.from_version,
            "to": self.to_version,
            "summary": self.summary().__dict__,
            "added": [entity(c, False) for c in self.added],
            "removed": [entity(c, False) for c in self.removed],
            "changed": [entity(c, True) for c in self.changed],
        }


def count_changes(store: ListStore, old: ListVersion, new: ListVersion) -> DiffSummary:
    """How many entities were added, removed and changed (from digests alone: cheap)."""
    old_digests = store.entity_digests(old.id)
    new_digests = store.entity_digests(new.id)
    common = new_digests.keys() & old_digests.keys()
    return DiffSummary(
        added=len(new_digests.keys() - old_digests.keys()),
        removed=len(old_digests.keys() - new_digests.keys()),
        changed=sum(1 for i in common if new_digests[i] != old_digests[i]),
    )


def diff_versions(store: ListStore, old: ListVersion | None, new: ListVersion) -> ListDiff:
    """Compare two versions of one list (``old`` None: everything in ``new`` is added)."""
    old_digests = store.entity_digests(old.id) if old else {}
    new_digests = store.entity_digests(new.id)
    added_ids = sorted(new_digests.keys() - old_digests.keys())
    removed_ids = sorted(old_digests.keys() - new_digests.keys())
    changed_ids = sorted(
        entity_id
        for entity_id in new_digests.keys() & old_digests.keys()
        if new_digests[entity_id] != old_digests[entity_id]
    )
    wanted = [new_digests[i] for i in added_ids + changed_ids]
    wanted += [old_digests[i] for i in removed_ids + changed_ids]
    blobs = store.blobs(wanted)

    def bare(data: dict[str, Any]) -> EntityChange:
        return EntityChange(data["id"], data["schema"], _caption(data))

    changed = []
    for entity_id in changed_ids:
        before = blobs[old_digests[entity_id]]
        after = blobs[new_digests[entity_id]]
        changed.append(
            EntityChange(
                entity_id, after["schema"], _caption(after), property_changes(before, after)
            )
        )
    return ListDiff(
        list_name=new.list_name,
        from_version=old.version if old else None,
        to_version=new.version,
        added=[bare(blobs[new_digests[i]]) for i in added_ids],
        removed=[bare(blobs[old_digests[i]]) for i in removed_ids],
        changed=changed,
    )


def property_changes(before: dict[str, Any], after: dict[str, Any]) -> list[PropertyChange]:
    """Per property, the values only in ``before`` and those only in ``after``."""
    changes = []
    if before["schema"] != after["schema"]:
        changes.append(PropertyChange("schema", [before["schema"]], [after["schema"]]))
    old_props: dict[str, list[str]] = before["properties"]
    new_props: dict[str, list[str]] = after["properties"]
    for prop in sorted(old_props.keys() | new_props.keys()):
        old_values = set(old_props.get(prop, []))
        new_values = set(new_props.get(prop, []))
        if old_values != new_values:
            changes.append(
                PropertyChange(
                    prop, sorted(old_values - new_values), sorted(new_values - old_values)
                )
            )
    return changes


def _caption(data: dict[str, Any]) -> str:
    props = data.get("properties", {})
    for key in ("name", "full", "number", "program", "entity"):
        if props.get(key):
            return str(props[key][0])
    return str(data["id"])


def from_first_difference(old: str, new: str, keep: int = 30) -> tuple[str, str]:
    """Both texts with their long common beginning elided ("…"), so that a changed remark
    shows where it changed rather than the same first lines twice."""
    common = len(os.path.commonprefix([old, new]))  # noqa: RUF071 - text, not paths
    if common <= keep * 2:
        return old, new
    cut = common - keep
    return "…" + old[cut:], "…" + new[cut:]
