"""Evaders and decoys: generated ships that use REAL listed identities, to evaluate linking
and risk on traffic whose answer is known (issue 13, "Evaluation").

The identities are read at run time from the list store the caller loaded (the ships of the
DPRK programmes of its current list versions: OFAC's DPRK* programmes, the UK's and the
UN's North Korea regimes, or a DPRK flag), never written into code, and chosen with the
seed. The scenario keeps its ports, receivers, coverage holes and ordinary traffic
(ferries, fishing boats, small craft, traders); its cast is replaced by these ships:

evaders (each should rank high, its factors citing what gives it away)
  ``laundered_imo``  a listed IMO number under a new name and another flag's MMSI;
  ``plain_sight``    a listed ship under its listed name and IMO (DPRK-flagged if listed so),
                     which also supplies the next one at sea;
  ``met_and_dark``   a clean ship that meets ``plain_sight`` at sea (a transfer: the
                     scenario's first ``transfer`` meeting, its box and timing) and then
                     switches its transponder off;
  ``name_only``      a listed ship's name, no IMO number, another flag's MMSI;
  ``former_name``    a name the list gives as a listed ship's former name, no IMO number;
  ``listed_mmsi``    an MMSI a list gives for a listed ship, under an invented name, no IMO;
decoys (each should stay out of the top 10)
  ``homonym``        a clean ship with a listed ship's name and its own valid IMO number;
  ``crossing``       a clean ship that crosses a listed ship's track at speed, close.

``simulate_evaders`` runs the generator and writes ``synthetic-evaders.jsonl`` beside the
run's truth: one line per planted ship with its kind, trick, broadcast identity, the list
record it uses and what a risk factor should cite (``cites``).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from sanctionwatch.ais.mid import mmsi_info
from sanctionwatch.errors import InputError
from sanctionwatch.lists.store import ListStore
from sanctionwatch.simulate.listed_ships import ListedShip, listed_dprk_ships
from sanctionwatch.simulate.run import SimulationResult, simulate
from sanctionwatch.simulate.scenario import FleetType, Scenario, load_scenario
from sanctionwatch.simulate.traffic import CALLSIGN_CHARS, imo_check_digit

EVADERS_FILE = "synthetic-evaders.jsonl"
DPRK_MID = 445
TRICKS = (
    "laundered_imo",
    "plain_sight",
    "met_and_dark",
    "name_only",
    "former_name",
    "listed_mmsi",
)
DECOYS = ("homonym", "crossing")
# What a factor of each evader must cite: "imo"/"mmsi"/"name"/"former_name" = a link of
# that kind to the used list record; "encounter" = an encounter event with its partner.
CITES = {
    "laundered_imo": "imo",
    "plain_sight": "imo",
    "met_and_dark": "encounter",
    "name_only": "name",
    "former_name": "former_name",
    "listed_mmsi": "mmsi",
}
MIN_LETTERS = 6  # a name broadcast alone must say something (not "7-28", not "SAM 5")


class NoListedShipsError(InputError):
    """The loaded lists have too few listed DPRK ships for the evaders asked for."""


@dataclass(frozen=True)
class Planted:
    """One evader or decoy as planted: what it broadcasts and what it stands for."""

    key: str
    kind: Literal["evader", "decoy"]
    trick: str
    mmsi: int
    name: str
    imo: int | None
    listed: dict[str, str] | None  # the list record whose identity it uses
    cites: str | None  # what a risk factor must cite (CITES); None for decoys
    partner: str | None = None  # the cast key it meets (met_and_dark) or crosses

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _letters(name: str) -> int:
    return sum(ch.isalpha() for ch in name)


class _Picker:
    """Draws listed ships for the tricks, never the same hull twice (one IMO number or one
    caption: OFAC and the UK list many of the same ships)."""

    def __init__(self, ships: Sequence[ListedShip], rng: np.random.Generator) -> None:
        self.ships = list(ships)
        self.rng = rng
        self.used: set[str] = set()

    def pick(self, trick: str, fits: Callable[[ListedShip], bool]) -> ListedShip:
        pool = [s for s in self.ships if fits(s) and not {s.imo, s.caption} & self.used]
        if not pool:
            raise NoListedShipsError(
                f"The loaded lists have no listed DPRK ship left for the evader {trick!r}; "
                "load the bundled OFAC SDN and UK lists (data/lists)."
            )
        ship = pool[int(self.rng.integers(len(pool)))]
        self.used |= {key for key in (ship.imo, ship.caption) if key}
        return ship


def evader_scenario(
    base: Scenario, ships: Sequence[ListedShip], seed: int
) -> tuple[Scenario, list[Planted]]:
    """``base`` with its cast and meetings replaced by the evaders and decoys (see the
    module), identities drawn from ``ships`` with ``seed``. Raises
    :class:`NoListedShipsError` when the lists cannot supply every trick, and
    :class:`InputError` when ``base`` has no ``transfer`` meeting to copy."""
    meeting = next((dict(m) for m in base.meetings if m.get("kind") == "transfer"), None)
    if meeting is None:
        raise InputError(f"Scenario {base.name!r} has no transfer meeting for the evaders.")
    cast_by_key = {str(raw["key"]): raw for raw in base.cast}
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(b"evaders")])
    pick = _Picker(ships, rng)
    make = _Maker(base, rng, {name for s in ships for name in (s.caption, *s.previous_names)})

    listed_mmsi = pick.pick("listed_mmsi", lambda s: bool(s.mmsis))
    former_ship = pick.pick(
        "former_name", lambda s: any(_letters(n) >= MIN_LETTERS for n in s.previous_names)
    )
    former = [n for n in former_ship.previous_names if _letters(n) >= MIN_LETTERS]
    plain = pick.pick("plain_sight", lambda s: bool(s.imo) and "kp" in s.flags)
    laundered = pick.pick("laundered_imo", lambda s: bool(s.imo))
    named = pick.pick("name_only", lambda s: _letters(s.caption) >= MIN_LETTERS)
    homonym = pick.pick("homonym", lambda s: bool(s.imo) and _letters(s.caption) >= MIN_LETTERS)

    supplier_home = str(cast_by_key[str(meeting["supplier"])]["home"])
    receiver_home = str(cast_by_key[str(meeting["receiver"])]["home"])
    mmsi = int(listed_mmsi.mmsis[int(rng.integers(len(listed_mmsi.mmsis)))])
    entries = [
        make.entry("evader-laundered-imo", "trader", laundered, make.name(), laundered.imo),
        make.entry(
            "evader-plain-sight", "sts_supplier", plain, plain.caption, plain.imo,
            flag="KP", home=supplier_home,
        ),
        make.entry("evader-met-and-dark", "sts_receiver", None, make.name(), make.imo(),
                   home=receiver_home),
        make.entry("evader-name-only", "trader", named, named.caption, None),
        make.entry(
            "evader-former-name", "trader", former_ship,
            former[int(rng.integers(len(former)))], None,
        ),
        make.entry("evader-listed-mmsi", "trader", listed_mmsi, make.name(), None, mmsi=mmsi),
        make.entry("decoy-homonym", "ordinary", None, homonym.caption, make.imo()),
        make.entry("decoy-crossing", "crosser", None, make.name(), make.imo(),
                   crosses=["evader-laundered-imo", "evader-name-only", "evader-listed-mmsi"]),
    ]  # fmt: skip
    meeting.update(supplier="evader-plain-sight", receiver="evader-met-and-dark")
    tricks = [*TRICKS, *DECOYS]
    uses: list[ListedShip | None] = [
        *(laundered, plain, plain, named, former_ship, listed_mmsi), homonym, laundered
    ]  # fmt: skip
    partners = [None, None, "evader-plain-sight", None, None, None, None, "evader-laundered-imo"]
    planted = [
        Planted(
            key=str(raw["key"]),
            kind="evader" if trick in TRICKS else "decoy",
            trick=trick,
            mmsi=int(raw["mmsi"]),
            name=str(raw["name"]),
            imo=int(raw["imo"]) or None,
            listed=ship.citation() if ship is not None else None,
            cites=CITES.get(trick),
            partner=partner,
        )
        for raw, trick, ship, partner in zip(entries, tricks, uses, partners, strict=True)
    ]
    return replace(base, cast=tuple(entries), meetings=(meeting,)), planted


class _Maker:
    """Invented parts of the planted ships: names, IMO numbers, MMSIs, call signs, hulls."""

    def __init__(self, base: Scenario, rng: np.random.Generator, listed_names: set[str]) -> None:
        self.base = base
        self.rng = rng
        self.taken_names = {name.casefold() for name in listed_names}
        self.taken_mmsis: set[int] = set()

    def name(self) -> str:
        """A fleet-style name that no listed ship has (nor had)."""
        while True:
            first = self.base.name_first[int(self.rng.integers(len(self.base.name_first)))]
            second = self.base.name_second[int(self.rng.integers(len(self.base.name_second)))]
            name = f"{first} {second} {int(self.rng.integers(1, 99))}"
            if name.casefold() not in self.taken_names:
                self.taken_names.add(name.casefold())
                return name

    def imo(self) -> int:
        """A valid IMO number in the fleet's fictional range (1 000 000 - 1 999 999)."""
        six = int(self.rng.integers(100_000, 200_000))
        return six * 10 + imo_check_digit(six)

    def mmsi(self, flag: str) -> tuple[int, str, str]:
        """An unused MMSI of ``flag`` ("KP": MID 445; "other": a fleet flag other than the
        DPRK's), with the flag it stands for and the flag's call sign prefix."""
        mids: tuple[int, ...] = (DPRK_MID,)
        code, prefix = "KP", "HM"
        if flag != "KP":
            choices = [f for f in self.base.flags if f.flag != "KP"]
            chosen = choices[int(self.rng.integers(len(choices)))]
            mids, code, prefix = chosen.mids, chosen.flag, chosen.callsign_prefix
        while True:
            mid = int(self.rng.choice(mids))
            mmsi = mid * 1_000_000 + int(self.rng.integers(100_000, 1_000_000))
            if mmsi not in self.taken_mmsis:
                self.taken_mmsis.add(mmsi)
                return mmsi, code, prefix

    def hull(self, tanker: bool) -> tuple[FleetType, dict[str, Any]]:
        role = "tanker" if tanker else "cargo"
        kind = next(k for k in self.base.fleet if k.role == role)
        length = float(self.rng.uniform(*kind.length_m))
        laden = float(self.rng.uniform(*kind.draught_m))
        return kind, {
            "ship_type": kind.ship_type,
            "length_m": round(length),
            "beam_m": round(length * float(self.rng.uniform(*kind.beam_ratio))),
            "draught_m": [round(laden * 0.62, 1), round(laden, 1)],
            "speed_kn": round(float(self.rng.uniform(*kind.speed_kn)), 1),
        }

    def _tanker(self, ship: ListedShip | None) -> bool:
        """A hull of the listed ship's kind (it is that ship); else a tanker 40 % of the time."""
        said = " ".join(ship.types).lower() if ship is not None else ""
        if "tanker" in said:
            return True
        if any(word in said for word in ("cargo", "bulk", "carrier", "container")):
            return False
        return bool(self.rng.random() < 0.4)

    def entry(
        self,
        key: str,
        role: str,
        ship: ListedShip | None,
        name: str,
        imo: str | int | None,
        *,
        flag: str = "other",
        home: str | None = None,
        mmsi: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """One ``[[cast]]`` table, as a scenario file would give it."""
        _, hull = self.hull(self._tanker(ship))
        if mmsi is None:
            mmsi, flag, prefix = self.mmsi(flag)
        else:
            flag = (mmsi_info(mmsi).flag or "XX").upper()
            prefix = flag
        callsign = prefix + "".join(
            CALLSIGN_CHARS[int(i)] for i in self.rng.integers(0, len(CALLSIGN_CHARS), 4)
        )
        ports = self.base.ports
        port = ports[int(self.rng.integers(len(ports)))][0]
        used = f"; uses {ship.list_name} record {ship.record_id} ({ship.caption})" if ship else ""
        return {
            "key": key,
            "role": role,
            "name": name,
            "imo": int(imo or 0),
            "flag": flag,
            "mmsi": mmsi,
            "callsign": callsign,
            "home": home or port.locode or port.name,
            "description": f"SYNTHETIC evaluation ship {key}{used}",
            "invented": ["everything but the listed identity it uses"],
            "sources": [f"{ship.list_name} {ship.version} record {ship.record_id}"] if ship else [],
            **hull,
            **extra,
        }


def simulate_evaders(
    out_dir: Path,
    list_store: ListStore,
    *,
    scenario: str = "rajin",
    seed: int = 0,
    days: float = 3.0,
    vessels: int = 40,
    formats: Sequence[str] = ("nmea",),
) -> tuple[SimulationResult, list[Planted]]:
    """Generate ``scenario``'s ordinary traffic with the evaders and decoys in place of
    its cast (``vessels`` in all), identities from ``list_store``; writes
    ``synthetic-evaders.jsonl`` in ``out_dir`` and returns the run and the planted ships."""
    ships = listed_dprk_ships(list_store)
    plan_scenario, planted = evader_scenario(load_scenario(scenario), ships, seed)
    result = simulate(
        out_dir, scenario=plan_scenario, seed=seed, days=days, vessels=vessels, formats=formats
    )
    notes = json.loads(result.manifest_path.read_text("utf-8")).get("notes", [])
    planted = [_crossed(ship, planted, notes) for ship in planted]
    write_planted(Path(out_dir) / EVADERS_FILE, planted)
    return result, planted


def _crossed(ship: Planted, planted: Sequence[Planted], notes: Sequence[str]) -> Planted:
    """The crossing decoy with the ship whose track it did cross (the planner notes it in the
    manifest: its first choice may have had no moment to cross), or with none."""
    if ship.trick != "crossing":
        return ship
    said = next((n for n in notes if n.startswith(f"decoy: {ship.key} ")), "")
    target = next((p for p in planted if f" track of {p.key} " in said), None)
    if target is None:
        return replace(ship, listed=None, partner=None)
    return replace(ship, listed=target.listed, partner=target.key)


def write_planted(path: Path, planted: Sequence[Planted]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for ship in planted:
            out.write(json.dumps(ship.as_json(), ensure_ascii=False, sort_keys=True) + "\n")


def read_planted(path: Path) -> list[Planted]:
    """The planted ships a run wrote (``synthetic-evaders.jsonl``)."""
    lines = Path(path).read_text("utf-8").splitlines()
    return [Planted(**json.loads(line)) for line in lines if line.strip()]


__all__ = [
    "DECOYS",
    "EVADERS_FILE",
    "TRICKS",
    "ListedShip",
    "NoListedShipsError",
    "Planted",
    "evader_scenario",
    "listed_dprk_ships",
    "read_planted",
    "simulate_evaders",
]
