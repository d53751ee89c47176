"""``lists export``: write a list version as FollowTheMoney JSON lines (as OpenSanctions and
Aleph read them), each entity tagged with the list it came from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from rich.progress import Progress, TaskID

from sanctionwatch.lists.formats.ftm_json import write_ftm_json
from sanctionwatch.lists.store import ListStore, ListVersion


def export_ftm(
    store: ListStore,
    handle: TextIO,
    lists: list[str] | None = None,
    version: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the entities of the chosen lists (latest versions, or ``version``) to ``handle``.

    Returns the number of entities written.
    """
    chosen = [store.find_version(name, version) for name in lists or store.list_names()]
    task = None
    if progress:
        task = progress.add_task("Exporting", total=sum(v.entity_count for v in chosen))
    return write_ftm_json(_entities(store, chosen, progress, task), handle)


def _entities(
    store: ListStore, chosen: list[ListVersion], progress: Progress | None, task: TaskID | None
) -> Iterator[dict[str, Any]]:
    for version in chosen:
        name = version.list_name
        for entity in store.iter_entities(version.id):
            if progress and task is not None:
                progress.advance(task)
            data = dict(entity.data)
            data["datasets"] = [name]
            data["caption"] = entity.caption
            yield data
