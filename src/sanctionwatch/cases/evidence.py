"""The evidence about a case subject as it stood at a stated time (``as_of``), read from the
home's stores without writing them, and what changed in it since.

What can be reconstructed for a past ``as_of``, and what cannot (a snapshot's ``limits``
says which of these applied to it; none do when ``as_of`` is the moment it was taken):

- **Lists: exactly.** Every loaded list version is kept with the time it was loaded, so the
  version in force at ``as_of`` is the newest one loaded by then; a vessel's links and an
  entity's record are kept only if the listed entity was in that version.
- **AIS identities and events: by their own time, not by when they were learned.** Identities
  first seen after ``as_of`` and events starting after it are left out; but data ingested
  after ``as_of`` about earlier times (a late file) is included, because the AIS store does
  not keep when each row arrived. An identity's ``last_seen`` may be after ``as_of``.
- **Risk: not recomputed.** The risk store keeps only the current scores. Factors whose
  evidence (an event, an identity, a list record) was not known at ``as_of`` are left out;
  the score and level are the ones scored when the snapshot was taken, and say so.
- **Portfolio hits: only the current ones.** The portfolio keeps no history of its hits.

The snapshot records what it was read from: the list versions in force, and the SHA-256 of
the risk store's input signature (None when risk was computed in memory because the stored
scores were not up to date: the web server never writes the home's stores).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import cached_property
from typing import Any

from sanctionwatch.ais.model import iso_utc
from sanctionwatch.cases.errors import NotFound
from sanctionwatch.config import Settings
from sanctionwatch.errors import InputError

SLACK_MS = 60_000  # an as_of this close to the snapshot's time is "now": nothing to reconstruct


iso = iso_utc  # the form every command and event prints ("2024-03-01T05:00:00Z")


def ms_of(text: str) -> int:
    """Milliseconds since the epoch of an ISO 8601 time that names its zone."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"{text[:40]!r} is not an ISO 8601 time") from exc
    if when.tzinfo is None:
        raise InputError(f"{text[:40]!r}: give the time zone (e.g. 2024-03-01T12:00:00Z)")
    return int(when.timestamp() * 1000)


class Evidence:
    """Reads the home's stores (read-only) for subjects as of ``as_of_ms``; ``taken_ms`` is
    now. One reader serves every subject of a case: the list versions and whether the
    stored risk is current are read once."""

    def __init__(self, settings: Settings, as_of_ms: int, taken_ms: int) -> None:
        if as_of_ms > taken_ms + SLACK_MS:
            raise InputError(
                "as_of is in the future: evidence can only be taken as of now or before"
            )
        self.settings = settings
        self.as_of_ms = as_of_ms
        self.taken_ms = taken_ms
        self.past = as_of_ms < taken_ms - SLACK_MS
        self._digests: dict[int, dict[str, str]] = {}

    @cached_property
    def lists(self) -> dict[str, dict[str, Any]]:
        """Each list's version in force at ``as_of``: the newest loaded by then."""
        from sanctionwatch.lists.store import ListStore

        found: dict[str, dict[str, Any]] = {}
        with ListStore(self.settings.store_path, writable=False) as store:
            for name in store.list_names():
                loaded = [v for v in store.versions(name) if ms_of(v.loaded_at) <= self.as_of_ms]
                if loaded:
                    v = loaded[-1]
                    found[name] = {
                        "version": v.version,
                        "version_id": v.id,
                        "loaded_at": v.loaded_at,
                    }
        return found

    def digests(self, list_name: str) -> dict[str, str]:
        """Entity id -> content digest in ``list_name``'s version in force."""
        from sanctionwatch.lists.store import ListStore

        version_id = self.lists[list_name]["version_id"]
        if version_id not in self._digests:
            with ListStore(self.settings.store_path, writable=False) as store:
                self._digests[version_id] = store.entity_digests(version_id)
        return self._digests[version_id]

    def listed(self, list_name: str, entity_id: str) -> bool:
        return list_name in self.lists and entity_id in self.digests(list_name)

    @cached_property
    def risk_stored(self) -> bool:
        from sanctionwatch import chain

        return chain.up_to_date(self.settings)

    @cached_property
    def risk_inputs_sha256(self) -> str | None:
        from sanctionwatch.risk.stored import RiskStore

        if not self.risk_stored:
            return None
        with RiskStore(self.settings.home, writable=False) as store:
            text = store.signature()
        return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None

    def _frame(self, kind: str, key: str, limits: list[str]) -> dict[str, Any]:
        return {
            "kind": kind,
            "key": key,
            "as_of": iso(self.as_of_ms),
            "taken_at": iso(self.taken_ms),
            "sources": {"lists": self.lists},
            "limits": limits if self.past else [],
        }

    # -- vessels ---------------------------------------------------------------------------

    def vessel(self, *, mmsi: int | None = None, imo: str | None = None) -> dict[str, Any]:
        """A vessel by MMSI, or every MMSI that broadcast an IMO number."""
        from sanctionwatch.vessel_view import vessel_mmsis, vessel_risks, vessel_view

        if mmsi is not None:
            mmsis = [mmsi]
        else:
            try:  # the number itself was checked (subjects.subject_key): none broadcast it
                mmsis = vessel_mmsis(self.settings, str(imo))
            except InputError as exc:
                raise NotFound(exc.message) from exc
        risks = vessel_risks(self.settings, mmsis, stored=self.risk_stored)
        views = []
        for one in mmsis:
            try:
                views.append(self._restricted(vessel_view(self.settings, one, risks.get(one))))
            except InputError as exc:
                raise NotFound(exc.message) from exc
        key = f"mmsi:{mmsi}" if mmsi is not None else f"imo:{imo}"
        snapshot = self._frame("vessel", key, VESSEL_LIMITS)
        snapshot["sources"]["risk"] = "stored" if self.risk_stored else "computed in memory"
        snapshot["sources"]["risk_inputs_sha256"] = self.risk_inputs_sha256
        snapshot["vessels"] = views
        return snapshot

    def _restricted(self, view: dict[str, Any]) -> dict[str, Any]:
        """``view`` without what was not known at ``as_of`` (see the module docstring)."""
        identity = view["identity"]
        if identity is not None:
            kept = [i for i in identity["identities"] if self._known_time(i.get("first_seen"))]
            identity = {**identity, "identities": kept}
        events = [e for e in view["events"] if self._known_time(e.get("start"))]
        risk = view["risk"]
        if risk is not None:
            links = [k for k in risk["links"] if self.listed(k["list"], k["entity_id"])]
            factors = [f for f in risk["factors"] if all(map(self._known, f["evidence"]))]
            risk = {**risk, "links": links, "factors": factors}
            if len(factors) < len(view["risk"]["factors"]):
                risk["score_includes_later_evidence"] = True
        return {**view, "identity": identity, "risk": risk, "events": events}

    def _known_time(self, when: str | None) -> bool:
        return when is None or ms_of(when) <= self.as_of_ms

    def _known(self, item: dict[str, Any]) -> bool:
        if item.get("kind") == "list_record":
            return self.listed(str(item.get("list")), str(item.get("entity_id")))
        if item.get("kind") == "event":
            return self._known_time(item.get("start"))
        if item.get("kind") == "identity":
            return self._known_time(item.get("first_seen"))
        return True

    # -- list entities and counterparties ----------------------------------------------------

    def entity(self, entity_id: str) -> dict[str, Any]:
        """A list entity's FtM data in every list version in force that holds it."""
        from sanctionwatch.lists.store import ListStore

        records = []
        with ListStore(self.settings.store_path, writable=False) as store:
            for name, version in sorted(self.lists.items()):
                digest = self.digests(name).get(entity_id)
                if digest is not None:
                    data = store.blobs([digest])[digest]
                    records.append({"list": name, **version, "digest": digest, "data": data})
        if not records:
            raise NotFound(f"no list entity {entity_id!r} in the lists in force at the time")
        snapshot = self._frame("entity", f"entity:{entity_id}", [])
        snapshot["entity_id"] = entity_id
        snapshot["records"] = records
        return snapshot

    def counterparty(self, counterparty_id: str) -> dict[str, Any]:
        """A portfolio counterparty's row and its current hits."""
        from sanctionwatch.portfolio.store import PortfolioStore
        from sanctionwatch.portfolio.tables import CounterpartyRow, HitRow
        from sanctionwatch.tables import from_row, select_sql

        with PortfolioStore(self.settings.home, writable=False) as store:
            row = store.db.execute(
                select_sql(CounterpartyRow) + " WHERE id = ?", [counterparty_id]
            ).fetchone()
            if row is None:
                raise NotFound(f"no counterparty {counterparty_id!r} in the portfolio")
            hit_sql = select_sql(HitRow) + " WHERE counterparty_id = ? ORDER BY list, entity_id"
            hits = [from_row(HitRow, h) for h in store.db.execute(hit_sql, [counterparty_id])]
            last = store.last_run()
        counterparty = from_row(CounterpartyRow, row)
        snapshot = self._frame("counterparty", f"counterparty:{counterparty_id}", HIT_LIMITS)
        snapshot["counterparty"] = {
            k: v for k, v in counterparty.__dict__.items() if k not in ("digest", "screened")
        }
        snapshot["hits"] = [
            {**{k: v for k, v in h.__dict__.items() if k not in ("match", "signature")},
             "explanation": json.loads(h.match).get("explanation")}
            for h in hits
        ]  # fmt: skip
        snapshot["sources"]["screen_signature"] = last.signature if last else None
        return snapshot


VESSEL_LIMITS = [
    "identities and events are kept by their own time (first seen, start at or before as_of); "
    "data ingested after as_of about earlier times is included",
    "risk score and level are as scored when the snapshot was taken (not recomputed for "
    "as_of); factors and links not known at as_of are left out",
]
HIT_LIMITS = ["the portfolio keeps only its current hits: these are the hits when taken"]


# -- what changed since a snapshot --------------------------------------------------------


def changes(before: dict[str, Any], now: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between a stored snapshot and the evidence now, one item per change
    (``{"change": <what>, ...}``); the snapshot itself is never altered."""
    found = _list_changes(before["sources"]["lists"], now["sources"]["lists"])
    if before["kind"] == "vessel":
        found += _vessels_changes(before["vessels"], now["vessels"])
    elif before["kind"] == "entity":
        found += _keyed(before["records"], now["records"], ("list",), "entity_record", {})
        old = {r["list"]: r["digest"] for r in before["records"]}
        found += [
            {"change": "entity_data", "list": r["list"], "version": r["version"]}
            for r in now["records"]
            if r["list"] in old and old[r["list"]] != r["digest"]
        ]
    else:
        fields = [k for k, v in now["counterparty"].items() if before["counterparty"].get(k) != v]
        if fields:
            found.append({"change": "counterparty_row", "fields": sorted(fields)})
        found += _keyed(before["hits"], now["hits"], ("list", "entity_id"), "hit", {})
        found += _moved(before["hits"], now["hits"], ("list", "entity_id"), "score", "hit_score")
    return found


def _list_changes(before: dict[str, Any], now: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "change": "list_version",
            "list": name,
            "before": (before.get(name) or {}).get("version"),
            "after": (now.get(name) or {}).get("version"),
        }
        for name in sorted(set(before) | set(now))
        if (before.get(name) or {}).get("version_id") != (now.get(name) or {}).get("version_id")
    ]


def _vessels_changes(
    before: list[dict[str, Any]], now: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    found = _keyed(before, now, ("mmsi",), "vessel", {})
    old = {v["mmsi"]: v for v in before}
    for view in now:
        if (was := old.get(view["mmsi"])) is None:
            continue
        tag = {"mmsi": view["mmsi"]}
        found += _keyed(_identities(was), _identities(view), IDENTITY_KEY, "identity", tag)
        found += _keyed(was["events"], view["events"], EVENT_KEY, "event", tag)
        old_risk, new_risk = was["risk"] or {}, view["risk"] or {}
        for field in ("score", "level"):
            if old_risk.get(field) != new_risk.get(field):
                found.append(
                    {"change": f"risk_{field}", **tag,
                     "before": old_risk.get(field), "after": new_risk.get(field)}
                )  # fmt: skip
        links = (old_risk.get("links", []), new_risk.get("links", []))
        found += _keyed(*links, LINK_KEY, "link", tag)
        factors = (old_risk.get("factors", []), new_risk.get("factors", []))
        found += _keyed(*factors, ("factor",), "factor", tag)
    return found


IDENTITY_KEY = ("imo", "name", "callsign", "first_seen")
EVENT_KEY = ("type", "mmsi", "other_mmsi", "start")
LINK_KEY = ("list", "entity_id", "via", "caption")


def _identities(view: dict[str, Any]) -> list[dict[str, Any]]:
    return list((view.get("identity") or {}).get("identities", []))


def _keyed(
    before: list[dict[str, Any]],
    now: list[dict[str, Any]],
    key: tuple[str, ...],
    noun: str,
    tag: dict[str, Any],
) -> list[dict[str, Any]]:
    """``new_<noun>`` / ``removed_<noun>`` items, compared by the ``key`` fields."""
    old = {tuple(item.get(k) for k in key): item for item in before}
    new = {tuple(item.get(k) for k in key): item for item in now}
    return [
        {"change": f"new_{noun}", **tag, **dict(zip(key, k, strict=True))}
        for k in new
        if k not in old
    ] + [
        {"change": f"removed_{noun}", **tag, **dict(zip(key, k, strict=True))}
        for k in old
        if k not in new
    ]


def _moved(
    before: list[dict[str, Any]],
    now: list[dict[str, Any]],
    key: tuple[str, ...],
    field: str,
    change: str,
) -> list[dict[str, Any]]:
    old = {tuple(item.get(k) for k in key): item for item in before}
    return [
        {"change": change, **dict(zip(key, ident, strict=True)),
         "before": old[ident][field], "after": item[field]}
        for item in now
        if (ident := tuple(item.get(k) for k in key)) in old and old[ident][field] != item[field]
    ]  # fmt: skip
