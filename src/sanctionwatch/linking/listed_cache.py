"""The listed ships and companies of the current list versions, kept between runs.

Reading them takes about 2 s on the bundled UN and OFAC lists (most of it decoding 50,000
stored entities) and they change only when a list is loaded; as the screening index does,
they are saved under the home (``linking-lists.pickle``) with the versions they come from,
and read again only when a version changes. On a read-only home they are read every time.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from sanctionwatch.linking.listed import ListedData, load_listed
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening.index import save_pickle

CACHE_FORMAT = 2  # bump when ListedData or what load_listed reads changes
CACHE_NAME = "linking-lists.pickle"

Signature = tuple[tuple[str, int, str], ...]


def versions_signature(store: ListStore) -> Signature:
    """Each list's current version: id and content digest (a new store file that reuses
    version ids still differs in content)."""
    return tuple(
        (name, version.id, version.content_digest)
        for name in store.list_names()
        for version in [store.find_version(name)]
    )


def load_listed_cached(store: ListStore, path: Path | None = None) -> ListedData:
    """The saved listed data at ``path`` (default: beside the list store) if it covers the
    store's current versions, else read anew (and saved, if the home can be written)."""
    path = path or store.path.parent / CACHE_NAME
    signature = versions_signature(store)
    if path.exists():
        try:
            with path.open("rb") as handle:
                saved_format, saved_signature, data = pickle.load(handle)  # noqa: S301 - ours
            if saved_format == CACHE_FORMAT and saved_signature == signature:
                return data  # type: ignore[no-any-return]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # unreadable or from another version of the code: read anew
    data = load_listed(store)
    save_pickle(path, (CACHE_FORMAT, signature, data))
    return data
