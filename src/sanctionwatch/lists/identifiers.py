"""IMO numbers, as the lists cite them.

Ships and companies (registered owners, managers, operators) draw their IMO numbers from one
seven-digit space with different check digits: ships weigh the first six digits 7..2 and take
the sum mod 10; companies weigh them 8,6,4,2,9,7 and take (11 - sum mod 11) mod 10. The check
digit is what tells a ship's number from its owner's when a list cites both in free text.
"""

from __future__ import annotations

import re
from typing import Literal

# "IMO 9179842", "IMO: 5342883", "IMO number 5676084", "Organization (IMO) Number: 1790183".
IMO_CITED = re.compile(r"\bIMO\b\)?\s*(?:number|no\.?)?\s*[:#.]?\s*(\d{7})(?!\d)", re.IGNORECASE)
_SEVEN_DIGITS = re.compile(r"\d{7}")
_COMPANY_WEIGHTS = (8, 6, 4, 2, 9, 7)


def is_ship_imo(number: str) -> bool:
    """Whether ``number`` (seven digits) has a valid ship IMO check digit."""
    if not _SEVEN_DIGITS.fullmatch(number):
        return False
    digits = [int(d) for d in number]
    return sum(d * (7 - i) for i, d in enumerate(digits[:6])) % 10 == digits[6]


def is_company_imo(number: str) -> bool:
    """Whether ``number`` (seven digits) has a valid company IMO check digit."""
    if not _SEVEN_DIGITS.fullmatch(number):
        return False
    digits = [int(d) for d in number]
    total = sum(d * w for d, w in zip(digits, _COMPANY_WEIGHTS, strict=False))
    return (11 - total % 11) % 10 == digits[6]


def imo_kind(number: str) -> Literal["company", "vessel", "invalid"]:
    """What a seven-digit IMO number can be. A number valid in both schemes (rare, e.g. OMM's
    1790183) is taken as a company's: lists cite those for the companies they designate."""
    if is_company_imo(number):
        return "company"
    if is_ship_imo(number):
        return "vessel"
    return "invalid"


def cited_imo_numbers(*texts: str) -> list[str]:
    """Seven-digit IMO numbers cited in free text, in order, without repeats."""
    found: dict[str, None] = {}
    for text in texts:
        for match in IMO_CITED.finditer(text):
            found.setdefault(match.group(1))
    return list(found)
