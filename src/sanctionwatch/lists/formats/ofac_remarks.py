"""Reading the free-text Remarks field of OFAC's legacy CSV files (pure functions, no FtM).

OFAC packs everything that has no column of its own into Remarks, as ``"; "``-separated
statements ending with one final period: ``"DOB 18 Feb 1962; nationality Korea, North;
Passport 563410081; a.k.a. 'RGB'; Linked To: LAZARUS GROUP; Vessel Registration
Identification IMO 8132835."``. Each statement may carry an ``alt.`` prefix (a further value of
the same kind). :func:`parse_remarks` turns the text into :class:`Remarks`: property values
(``Fact``), identity documents, ``Linked To`` names and sanction provisions; every statement it
does not understand is kept verbatim in ``notes``. Per OFAC FAQ 123, the quoted ``a.k.a.``
names in Remarks are OFAC's *weak* aliases, hence ``weakAlias``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sanctionwatch.lists.formats.month_names import MONTHS
from sanctionwatch.lists.identifiers import is_ship_imo

# A statement "<label> <value>": label -> (FtM property, kind of value). Kinds: "text" as
# listed, "date" (one date), "dob" (dates with circa/ranges), "country" (a raw country name
# that the caller cleans with FtM), "gender". Longer labels are tried first, so that
# "Nationality of Registration" wins over "nationality".
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "DOB": ("birthDate", "dob"),
    "POB": ("birthPlace", "text"),
    "nationality": ("nationality", "country"),
    "citizen": ("citizenship", "country"),
    "Gender": ("gender", "gender"),
    "Organization Established Date": ("incorporationDate", "dob"),
    "Nationality of Registration": ("jurisdiction", "country"),
    "Former Vessel Flag": ("pastFlags", "country"),
    "Other Vessel Flag": ("flag", "country"),
    "Other Vessel Type": ("type", "text"),
    "Vessel Year of Build": ("buildDate", "date"),
    "MMSI": ("mmsi", "text"),
    "Email Address": ("email", "text"),
    "Email": ("email", "text"),
    "Website": ("website", "text"),
    "Phone Number": ("phone", "text"),
    "Telephone No.": ("phone", "text"),
    "Telephone": ("phone", "text"),
    "Phone": ("phone", "text"),
    "SWIFT/BIC": ("swiftBic", "text"),
    "Legal Entity Number": ("leiCode", "text"),
    "D-U-N-S Number": ("dunsCode", "text"),
    "ISIN": ("isinCode", "text"),
    "Organization Type": ("sector", "text"),
    "Target Type": ("classification", "text"),
    "Aircraft Model": ("model", "text"),
    "Aircraft Manufacture Date": ("buildDate", "date"),
    "Aircraft Manufacturer's Serial Number (MSN)": ("serialNumber", "text"),
    "Aircraft Construction Number (also called L/N or S/N or F/N)": ("serialNumber", "text"),
    "Aircraft Tail Number": ("registrationNumber", "text"),
}

# Identity documents and registry numbers: label -> kind. "passport" becomes a Passport
# entity, the others Identification entities; the caller copies the number to the party
# (passportNumber, idNumber, registrationNumber, taxNumber).
DOCUMENT_LABELS: dict[str, str] = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "Stateless Person Passport": "passport",
    "National ID No.": "id",
    "Identification Number": "id",
    "Personal ID Card": "id",
    "Cedula No.": "id",
    "D.N.I.": "id",
    "C.U.R.P.": "id",
    "Kenyan ID No.": "id",
    "Turkish Identification Number": "id",
    "Citizen's Card Number": "id",
    "Birth Certificate Number": "id",
    "Residency Number": "id",
    "Travel Document Number": "id",
    "Driver's License No.": "id",
    "Electoral Registry No.": "id",
    "Credencial electoral": "id",
    "Tazkira National ID Card": "id",
    "Refugee ID Card": "id",
    "Numero de Identidad": "id",
    "SSN": "id",
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Company Number": "registration",
    "UK Company Number": "registration",
    "Commercial Registry Number": "registration",
    "Business Registration Document #": "registration",
    "Certificate of Incorporation Number": "registration",
    "Chamber of Commerce Number": "registration",
    "Enterprise Number": "registration",
    "Government Gazette Number": "registration",
    "Unified Social Credit Code (USCC)": "registration",
    "Folio Mercantil No.": "registration",
    "Matricula Mercantil No": "registration",
    "Trade License No.": "registration",
    "C.R. No.": "registration",
    "Business Registration Number": "registration",
    "Economic Register Number (CBLS)": "registration",
    "Central Registration System Number": "registration",
    "Istanbul Chamber of Comm. No.": "registration",
    "NIT #": "tax",
    "RUC #": "tax",
    "RIF #": "tax",
    "Tax ID No.": "tax",
    "R.F.C.": "tax",
    "RFC": "tax",
    "V.A.T. Number": "tax",
    "C.U.I.T.": "tax",
    "US FEIN": "tax",
}

# Statements about the sanction itself rather than the party: kept in the party's notes and
# also given to the Sanction entity as provisions.
PROVISION_PREFIXES = (
    "Secondary sanctions risk:",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions",
    "Additional Sanctions Information",
    "Executive Order ",
    "Listing Date (EO 14024",
    "Effective Date (EO 14024",
    "CAATSA Section 235 Information",
    "IFCA Determination",
    "Purchase/Sales For Divestment Date",
)

# OFAC's Remarks column is 1000 characters wide (dat_spec.txt); longer remarks are cut there
# and continue in sdn_comments.csv.
REMARKS_WIDTH = 1000

_IMO_STATEMENT = re.compile(
    r"(?:Vessel Registration Identification|Identification Number|Company Number)"
    r"\s+IMO\s*(\d{7})(?:\s+\(([^()]+)\))?",
    re.IGNORECASE,
)
_IMO_LONG_FORM = re.compile(r"International Maritime Organization No\.\s*\(?(\d{7})\)?")
_BARE_REGISTRATION = re.compile(r"Vessel Registration Identification\s+(\d{7})")
_QUOTED_NAME = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*'(.*)'$", re.IGNORECASE)
_ALT_PREFIX = re.compile(r"^alt\.\s+", re.IGNORECASE)
_DOCUMENT_TAIL = re.compile(
    r"^(?P<number>.+?)(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:\s+issued\s+(?P<issued>[^()]+?))?(?:\s+expires\s+(?P<expires>[^()]+?))?$"
)


@dataclass(frozen=True)
class Fact:
    """One property value read from a statement; ``label`` is how the list named it."""

    prop: str
    value: str
    label: str
    kind: str = "text"  # "country" values are raw names the caller must clean


@dataclass(frozen=True)
class IdentityDocument:
    """A passport, ID card, registry or tax number as stated in Remarks."""

    kind: str  # "passport", "id", "registration", "tax"
    label: str  # as listed: "Passport", "National ID No.", ...
    number: str
    country: str | None  # raw country name, as listed
    issued: str | None  # ISO date
    expires: str | None  # ISO date
    statement: str  # the whole statement, kept as the document's summary


@dataclass
class Remarks:
    """Everything read from one Remarks text."""

    facts: list[Fact] = field(default_factory=list)
    documents: list[IdentityDocument] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    provisions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def split_remarks(text: str) -> list[str]:
    """The statements of a Remarks text, without the one period that ends the whole text."""
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_date(text: str) -> str | None:
    """``"15 Jun 1962"`` -> ``"1962-06-15"``, ``"Jun 1962"`` -> ``"1962-06"``, ``"1962"``
    -> ``"1962"``; None for anything else (including impossible dates)."""
    text = text.strip().rstrip(".")
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?(?:([A-Za-z]+)\.?\s+)?(\d{4})", text)
    if not match:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return None if day else year
    month = MONTHS.get(month_name.lower())
    if month is None:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def parse_dob(text: str) -> tuple[list[str], bool] | None:
    """Dates of a DOB-like value and whether they are exact.

    ``"15 Jun 1962"`` -> (["1962-06-15"], True); ``"circa 1960"`` -> (["1960"], False);
    ``"1960 to 1962"`` -> (["1960", "1961", "1962"], False); a range of whole years (or
    1 Jan to 31 Dec) gives every year in it, up to 20 years, else its two ends. None when
    the value cannot be read.
    """
    value = text.strip().rstrip(".")
    exact = True
    if value.lower().startswith("circa "):
        value, exact = value[6:].strip(), False
    parts = re.split(r"\s+to\s+|(?<=\d{4})\s*-\s*(?=\d{4}$)", value)
    if len(parts) == 1:
        single = parse_date(value)
        return ([single], exact) if single else None
    if len(parts) != 2:
        return None
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if start is None or end is None or end < start:
        return None
    first_year, last_year = int(start[:4]), int(end[:4])
    whole_years = (len(start) == len(end) == 4) or (
        start.endswith("-01-01") and end.endswith("-12-31")
    )
    if whole_years and last_year - first_year <= 20:
        return [str(year) for year in range(first_year, last_year + 1)], False
    return [start, end], False


def parse_remarks(text: str | None) -> Remarks:
    """Read a Remarks text (None or ``-0-`` for none) into :class:`Remarks`."""
    remarks = Remarks()
    if text is None or text.strip() in ("", "-0-"):
        return remarks
    for statement in split_remarks(text):
        _read_statement(statement, remarks)
    return remarks


def _read_statement(statement: str, remarks: Remarks) -> None:
    body = _ALT_PREFIX.sub("", statement)
    quoted = _QUOTED_NAME.match(body)
    if quoted:
        kind, name = quoted.group(1).lower(), quoted.group(2).strip()
        prop = {"a.k.a.": "weakAlias", "f.k.a.": "previousName"}.get(kind, "alias")
        remarks.facts.append(Fact(prop, name, kind))
        return
    if body.lower().startswith("linked to:"):
        remarks.linked_to.append(body[len("linked to:") :].strip())
        return
    if body.startswith(PROVISION_PREFIXES):
        remarks.provisions.append(statement)
        remarks.notes.append(statement)
        return
    if _read_imo(body, statement, remarks):
        return
    label, value = _split_label(body, _DOCUMENT_PATTERN)
    if label is not None:
        _read_document(label, value, statement, remarks)
        return
    label, value = _split_label(body, _FIELD_PATTERN)
    if label is not None and value:
        _read_field(label, value, statement, remarks)
        return
    remarks.notes.append(statement)


_FIELDS_LONGEST_FIRST = tuple(sorted(FIELD_LABELS, key=len, reverse=True))
_DOCUMENTS_LONGEST_FIRST = tuple(sorted(DOCUMENT_LABELS, key=len, reverse=True))


def _label_pattern(labels: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation over ``labels`` (longest first, so the most specific wins), followed
    by a space or colon; compiled once because remarks are read tens of thousands of times."""
    alternation = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"({alternation})(?=[ :])", re.IGNORECASE), {
        label.lower(): label for label in labels
    }


_FIELD_PATTERN = _label_pattern(_FIELDS_LONGEST_FIRST)
_DOCUMENT_PATTERN = _label_pattern(_DOCUMENTS_LONGEST_FIRST)


def _split_label(
    body: str, pattern: tuple[re.Pattern[str], dict[str, str]]
) -> tuple[str | None, str]:
    """The label that starts ``body`` (followed by a space or colon), and the rest of ``body``."""
    regex, by_lower = pattern
    match = regex.match(body)
    if match is None:
        return None, ""
    label = by_lower[match.group(1).lower()]
    return label, body[len(label) :].lstrip(" :").strip()


def _read_imo(body: str, statement: str, remarks: Remarks) -> bool:
    match = _IMO_STATEMENT.fullmatch(body) or _IMO_LONG_FORM.fullmatch(body)
    if match:
        remarks.facts.append(Fact("imoNumber", f"IMO{match.group(1)}", "IMO"))
        if match.re is _IMO_STATEMENT and match.group(2):
            remarks.notes.append(statement)  # keep the registry country stated with it
        return True
    bare = _BARE_REGISTRATION.fullmatch(body)
    if bare and is_ship_imo(bare.group(1)):
        # OFAC's "Vessel Registration Identification" is its IMO field; one record omits the
        # "IMO" word. A valid check digit makes the reading safe; say so.
        remarks.facts.append(Fact("imoNumber", f"IMO{bare.group(1)}", "IMO"))
        remarks.warnings.append(f"read {statement!r} as IMO{bare.group(1)} (no 'IMO' prefix)")
        return True
    return False


def _read_document(label: str, value: str, statement: str, remarks: Remarks) -> None:
    match = _DOCUMENT_TAIL.fullmatch(value)
    number = match.group("number").strip() if match else ""
    if not _looks_like_number(number):
        # Prose such as "Passport and National ID were issued in Ulm": keep it as a note.
        remarks.notes.append(statement)
        return
    assert match is not None
    issued_raw, expires_raw = match.group("issued"), match.group("expires")
    issued = parse_date(issued_raw) if issued_raw else None
    expires = parse_date(expires_raw) if expires_raw else None
    for raw, parsed in ((issued_raw, issued), (expires_raw, expires)):
        if raw and parsed is None:
            remarks.notes.append(f"{label} date as listed: {raw}")
            remarks.warnings.append(f"unreadable date {raw!r} in {statement!r}")
    remarks.documents.append(
        IdentityDocument(
            kind=DOCUMENT_LABELS[label],
            label=label,
            number=number,
            country=match.group("country"),
            issued=issued,
            expires=expires,
            statement=statement,
        )
    )


def _looks_like_number(text: str) -> bool:
    """Document numbers have a digit and are short; longer text is a sentence."""
    return any(char.isdigit() for char in text) and len(text) <= 40 and text.count(" ") <= 4


def _read_field(label: str, value: str, statement: str, remarks: Remarks) -> None:
    prop, kind = FIELD_LABELS[label]
    if kind == "dob" or kind == "date":
        parsed = parse_dob(value) if kind == "dob" else _single_date(value)
        if parsed is None:
            remarks.notes.append(f"{label} as listed: {value}")
            remarks.warnings.append(f"unreadable date in {statement!r}")
            return
        dates, exact = parsed
        remarks.facts.extend(Fact(prop, iso, label) for iso in dates)
        if not exact:
            # "circa" and ranges do not survive as ISO dates: keep the wording.
            remarks.notes.append(f"{label} as listed: {value}")
        return
    if kind == "gender":
        gender = value.strip().rstrip(".").lower()
        if gender in ("male", "female"):
            remarks.facts.append(Fact(prop, gender, label))
        else:
            remarks.notes.append(statement)
        return
    remarks.facts.append(Fact(prop, value, label, kind))


def _single_date(value: str) -> tuple[list[str], bool] | None:
    parsed = parse_date(value)
    return ([parsed], True) if parsed else None
