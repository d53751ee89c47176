"""Owners and operators that lists name only in their text, not as linked entities.

Two ways round: a ship's record may name its owner ("Registered owner: Korea Achim Shipping
Co." in an EU remark), and a company's record may name the ships it owns or runs (UN 1718:
"Registered owner of DPRK tankers SAM JONG 1 and SAM JONG 2", "the operator/manager of the
vessel Chong Chon Gang"). A named owner counts only if a listed company has that name; a
named ship only if a listed ship (on any list) has it, as a whole run of words of the text
after "owner/operator/manager ... of", up to the end of that sentence. Text about a past owner
("Previous owner/operator (s): ...", UK) is not read.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sanctionwatch.linking.listed_records import ListedRecord, ListedVessel, Owner, name_key

_ROLE = (
    r"(registered owner|beneficial owner|owner|operator|ship manager|commercial manager|manager)"
)
# On a ship's record: "<role>: <company>" (not "Previous owner ...: ...").
_SHIP_NOTE = re.compile(
    rf"(?<![a-z] )(?<!previous ){_ROLE}(?:\s*/\s*[a-z]+)*(?:\s*\(s\))?\s*:\s*([^.;]+)",
    re.IGNORECASE,
)
# On a company's record: "<role>[, <role> and <role>] of <text naming ships>".
_COMPANY_NOTE = re.compile(rf"\b{_ROLE}\b[^.;:]{{0,60}}?\bof\s+([^.;]+)", re.IGNORECASE)
_MAX_NAME_WORDS = 8


def ship_note_owners(vessel: ListedVessel, notes: list[str]) -> list[Owner]:
    """Owners a ship's own record names in its text."""
    found: list[Owner] = []
    for note in notes:
        for match in _SHIP_NOTE.finditer(note):
            role, name = match.group(1).lower(), match.group(2).strip()
            if name and all(name not in o.names for o in found):
                entity_id = f"{vessel.record.entity_id}#text-owner-{len(found) + 1}"
                role_text = f"{role} (the text of {vessel.record.list_name} record "
                role_text += f"{vessel.record.record_id})"
                found.append(Owner(entity_id, (name,), role_text, None))
    return found


def add_company_named_ships(
    vessels: list[ListedVessel], company_notes: list[tuple[ListedRecord, list[str]]]
) -> None:
    """Add to each listed ship the listed companies whose records name it as theirs."""
    by_name: dict[str, list[ListedVessel]] = defaultdict(list)
    for vessel in vessels:
        names = [n for _, n in vessel.names] + vessel.previous_names
        for key in {name_key(n) for n in names}:
            if key:
                by_name[key].append(vessel)
    for company, notes in company_notes:
        for note in notes:
            for match in _COMPANY_NOTE.finditer(note):
                role = match.group(1).lower()
                for vessel in _ships_named(match.group(2), by_name):
                    if all(o.entity_id != company.entity_id for o in vessel.owners):
                        owner = Owner(
                            company.entity_id,
                            (company.caption,),
                            f"{role} (the text of {company.list_name} record {company.record_id})",
                            company,
                        )
                        vessel.owners.append(owner)


def _ships_named(text: str, by_name: dict[str, list[ListedVessel]]) -> list[ListedVessel]:
    """Listed ships whose name is a whole run of words of ``text``, longest runs first (so
    that "SAM JONG 1" is not also read as a ship called "SAM")."""
    words = name_key(text).split()
    found: list[ListedVessel] = []
    used: set[int] = set()
    for size in range(min(_MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if span & used:
                continue
            ships = by_name.get(" ".join(words[start : start + size]))
            if ships:
                used |= span
                found.extend(s for s in ships if s not in found)
    return found
