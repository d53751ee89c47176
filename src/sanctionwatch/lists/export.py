"""``lists export``: write a list version as FollowTheMoney JSON lines (as OpenSanctions and
Aleph read them), each entity tagged with the list it came from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from sanctionwatch.lists.formats.ftm_json import write_ftm_json
from sanctionwatch.lists.store import ListStore


def export_ftm(
    store: ListStore, handle: TextIO, lists: list[str] | None = None, version: str | None = None
) -> int:
    """Write the entities of the chosen lists (latest versions, or ``version``) to ``handle``.

    Returns the number of entities written.
    """
    names = lists or store.list_names()
    return write_ftm_json(_entities(store, names, version), handle)


def _entities(store: ListStore, names: list[str], version: str | None) -> Iterator[dict[str, Any]]:
    for name in names:
        chosen = store.find_version(name, version)
        for entity in store.iter_entities(chosen.id):
            data = dict(entity.data)
            data["datasets"] = [name]
            data["caption"] = entity.caption
            yield data
