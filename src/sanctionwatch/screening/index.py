"""The screening index: every party of the latest version of every list, its names analysed,
and blocking keys that survive romanisation and script changes, so that a query is compared
only with the few parties that share a key with it. Embedded (no search server); saved under
the home directory and rebuilt when a list version changes.
"""

from __future__ import annotations

import heapq
import math
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, product
from pathlib import Path

from sanctionwatch.lists.model import PARTY_SCHEMATA
from sanctionwatch.lists.store import ListStore
from sanctionwatch.screening import hanja, korean
from sanctionwatch.screening.names import NameForm, analyse_name

INDEX_FORMAT = 4  # bump when the pickled layout or the keys change
NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
_SYLLABIC = frozenset({"Hangul", "CJK"})


@dataclass
class IndexedParty:
    """What screening needs of one listed party."""

    entity_id: str
    list_name: str
    version: str
    record_id: str
    schema: str
    caption: str
    names: list[tuple[str, NameForm]]  # (property, analysed name)
    name_keys: list[frozenset[str]] = field(default_factory=list)  # blocking keys of each name
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    imo_numbers: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)


def blocking_keys(form: NameForm) -> set[str]:
    """Keys under which a name is filed: folded tokens, token prefixes (typos at the end),
    the letters run together (spacing), Korean syllable keys, and words in their own script."""
    keys = {f"t:{token}" for token in form.folded if len(token) > 1}
    keys.update(f"p:{token[:4]}" for token in form.folded if len(token) >= 5)
    compact = "".join(form.folded)
    if len(compact) >= 6:
        keys.add(f"c:{compact[:6]}")
    if form.script in _SYLLABIC:
        keys.update(f"s:{token}" for token in form.script_tokens)
    spellings: tuple[str, ...] = (form.original,)
    if form.script == "CJK":  # a Korean name in Chinese characters: file it by its readings
        spellings += hanja.hangul_readings(form.original)[:4]
    for spelling in spellings:
        for sequence in korean.korean_keys(spelling):
            keys.add("k:" + "-".join(sequence))
    return keys


MAX_PINYIN_KEYS = 64


def query_keys(form: NameForm) -> set[str]:
    """The blocking keys of a query: its own, plus, for a name that may be the Mandarin
    reading of a Korean name ("Cui Longhai"), the keys of the Korean names it may stand for."""
    keys = blocking_keys(form)
    if form.pinyin_readable and not form.korean_readable:
        for readings in hanja.pinyin_key_sets(form.original):
            # sorted: which sequences the cap keeps must not follow the hash seed (sets)
            ordered = [sorted(keys) for keys in readings]
            for sequence in islice(product(*ordered), MAX_PINYIN_KEYS):
                keys.add("k:" + "-".join(sequence))
    return keys


@dataclass
class ScreeningIndex:
    parties: list[IndexedParty]
    postings: dict[str, list[int]]
    imo: dict[str, list[int]]
    signature: tuple[tuple[str, int], ...]

    def candidates(
        self, keys: Iterable[str], imo: str | None, limit: int, share: float = 0.0
    ) -> list[int]:
        """Parties sharing keys with a query, the rarest keys weighing most; best first.

        ``share``: leave out parties whose key weight is below that share of the best one's
        (they share only a common word, such as "Mohammed", with the query)."""
        weights: dict[int, float] = defaultdict(float)
        total = len(self.parties) or 1
        # Keys in sorted order and ties broken by party number: a set of strings iterates in
        # an order that changes with each process's hash seed, and so did the shortlist.
        for key in sorted(set(keys)):
            posting = self.postings.get(key)
            if not posting:
                continue
            idf = math.log(1 + total / len(posting))
            for index in posting:
                weights[index] += idf
        # the best ``limit`` by weight, ties by party number (a heap: no need to sort them all)
        best = heapq.nsmallest(limit, [(-weight, index) for index, weight in weights.items()])
        ranked = [index for _, index in best]
        if ranked and share:
            floor = weights[ranked[0]] * share
            ranked = [i for i in ranked if weights[i] >= floor]
        if imo:
            ranked = [i for i in self.imo.get(imo, []) if i not in ranked] + ranked
        return ranked


def index_signature(store: ListStore) -> tuple[tuple[str, int], ...]:
    """Which version of each list an index covers (the latest ones)."""
    return tuple((name, store.find_version(name).id) for name in store.list_names())


def build_index(store: ListStore) -> ScreeningIndex:
    """Index the parties of the latest version of every list in ``store``."""
    parties: list[IndexedParty] = []
    for list_name in store.list_names():
        version = store.find_version(list_name)
        for entity in store.iter_entities(version.id):
            if entity.schema not in PARTY_SCHEMATA:
                continue
            props = entity.data["properties"]
            names = [
                (prop, analyse_name(value, entity.schema))
                for prop in NAME_PROPERTIES
                for value in props.get(prop, [])
            ]
            if not names:
                continue
            party = IndexedParty(
                entity_id=entity.entity_id,
                list_name=list_name,
                version=version.version,
                record_id=entity.record_id,
                schema=entity.schema,
                caption=entity.caption,
                names=names,
                birth_dates=props.get("birthDate", []),
                countries=sorted(
                    {
                        *props.get("nationality", []),
                        *props.get("citizenship", []),
                        *props.get("country", []),
                    }
                ),
                imo_numbers=[v.removeprefix("IMO") for v in props.get("imoNumber", [])],
                programs=props.get("program", []),
            )
            parties.append(party)
    return assemble_index(parties, index_signature(store))


def assemble_index(
    parties: list[IndexedParty], signature: tuple[tuple[str, int], ...]
) -> ScreeningIndex:
    """The index of ``parties``: each party's blocking keys, and the postings from each key
    and each IMO number to the parties that have it (linking indexes the listed ships alone
    with this, so the engine scores them as it scores everything)."""
    postings: dict[str, list[int]] = defaultdict(list)
    imo: dict[str, list[int]] = defaultdict(list)
    for position, party in enumerate(parties):
        party.name_keys = [frozenset(blocking_keys(form)) for _, form in party.names]
        for key in frozenset().union(*party.name_keys):
            postings[key].append(position)
        for number in party.imo_numbers:
            imo[number].append(position)
    return ScreeningIndex(parties, dict(postings), dict(imo), signature)


def load_index(store: ListStore, path: Path) -> ScreeningIndex:
    """The saved index at ``path`` if it covers the store's latest versions, else a new one
    (built and saved)."""
    signature = index_signature(store)
    if path.exists():
        try:
            with path.open("rb") as handle:
                saved_format, index = pickle.load(handle)  # noqa: S301 - our own file
            if saved_format == INDEX_FORMAT and index.signature == signature:
                return index  # type: ignore[no-any-return]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # unreadable or from another version: rebuild
    index = build_index(store)
    save_pickle(path, (INDEX_FORMAT, index))
    return index


def save_pickle(path: Path, content: object) -> None:
    """Save ``content`` for the next run, if the home can be written. A file of this
    process's own (screens run side by side, each may rebuild), renamed into place whole. On
    a read-only home what was just built is used and not kept."""
    try:
        handle, partial = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(content, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError:
        Path(partial).unlink(missing_ok=True)
