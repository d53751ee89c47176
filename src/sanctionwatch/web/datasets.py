"""Datasets as the API names them: ``default`` and ``sanctions`` are every loaded list; any
list name in the store (``un``, ``ofac_sdn``, ...) is that list alone.

Each list gets its own screener over an index of its parties only, built once when the app
starts, so that a list's parties are not crowded out of the candidates by another list's
(and rarity weights are the list's own).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from sanctionwatch.errors import StoreError
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.index import ScreeningIndex

ALL_LISTS = ("default", "sanctions")


@dataclass(frozen=True)
class Datasets:
    everything: Screener
    by_list: Mapping[str, Screener]

    @classmethod
    def from_screener(cls, screener: Screener) -> Datasets:
        names = sorted({party.list_name for party in screener.index.parties})
        return cls(screener, {name: Screener(list_index(screener.index, name)) for name in names})

    @property
    def names(self) -> list[str]:
        return [*ALL_LISTS, *self.by_list]

    def screener(self, dataset: str) -> Screener:
        """The screener for ``dataset``; a 404 error naming the known ones if unknown."""
        if dataset in ALL_LISTS:
            return self.everything
        found = self.by_list.get(dataset)
        if found is None:
            raise StoreError(
                f"unknown dataset {dataset[:60]!r}; use one of: {', '.join(self.names)}"
            )
        return found


def list_index(index: ScreeningIndex, list_name: str) -> ScreeningIndex:
    """The part of ``index`` holding the parties of one list (positions renumbered)."""
    kept = [i for i, party in enumerate(index.parties) if party.list_name == list_name]
    position = {old: new for new, old in enumerate(kept)}
    return dataclasses.replace(
        index,
        parties=[index.parties[i] for i in kept],
        postings=_renumber(index.postings, position),
        imo=_renumber(index.imo, position),
    )


def _renumber(
    postings: Mapping[str, list[int]], position: Mapping[int, int]
) -> dict[str, list[int]]:
    renumbered = {}
    for key, posting in postings.items():
        kept = [position[i] for i in posting if i in position]
        if kept:
            renumbered[key] = kept
    return renumbered
