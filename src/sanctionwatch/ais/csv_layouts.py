"""Where the two CSV layouts keep each field, and the words DMA writes for coded values."""

from __future__ import annotations

from dataclasses import dataclass

# ITU-R M.1371 navigational status codes, by the words DMA writes for them.
DMA_NAV_STATUS = {
    "under way using engine": 0,
    "at anchor": 1,
    "not under command": 2,
    "restricted manoeuverability": 3,
    "restricted maneuverability": 3,
    "restricted manoeuvrability": 3,
    "constrained by her draught": 4,
    "moored": 5,
    "aground": 6,
    "engaged in fishing": 7,
    "under way sailing": 8,
    "reserved for future amendment [hsc]": 9,
    "reserved for future amendment [wig]": 10,
    "power-driven vessel towing astern": 11,
    "power-driven vessel pushing ahead or towing alongside": 12,
    "reserved for future use": 13,
    "ais-sart is active": 14,
    "unknown value": 15,
    "undefined": 15,
}

# DMA writes the ship type as words; the store keeps ITU codes (first code of each range).
DMA_SHIP_TYPE = {
    "wig": 20,
    "fishing": 30,
    "towing": 31,
    "towing long/wide": 32,
    "dredging": 33,
    "diving": 34,
    "military": 35,
    "sailing": 36,
    "pleasure": 37,
    "hsc": 40,
    "pilot": 50,
    "sar": 51,
    "tug": 52,
    "port tender": 53,
    "anti-pollution": 54,
    "law enforcement": 55,
    "spare 1": 56,
    "spare 2": 57,
    "medical": 58,
    "not party to conflict": 59,
    "passenger": 60,
    "cargo": 70,
    "tanker": 80,
    "other": 90,
}

# "Type of mobile" values that are vessels; the others (Base Station, AtoN, SAR Airborne...)
# are counted and skipped.
DMA_VESSEL_KINDS = {"class a": 1, "class b": 18}


@dataclass(frozen=True)
class CsvLayout:
    """Where one CSV layout keeps each field."""

    name: str
    timestamp: str
    timestamp_format: str | None  # strptime format; None = ISO 8601
    mmsi: str
    lat: str
    lon: str
    sog: str
    cog: str
    heading: str
    nav_status: str
    imo: str
    callsign: str
    vessel_name: str
    ship_type: str
    length: str
    width: str
    draught: str
    destination: str | None
    kind: str  # the column saying what sort of station sent the row


DMA = CsvLayout(
    name="DMA CSV",
    timestamp="# Timestamp",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    mmsi="MMSI",
    lat="Latitude",
    lon="Longitude",
    sog="SOG",
    cog="COG",
    heading="Heading",
    nav_status="Navigational status",
    imo="IMO",
    callsign="Callsign",
    vessel_name="Name",
    ship_type="Ship type",
    length="Length",
    width="Width",
    draught="Draught",
    destination="Destination",
    kind="Type of mobile",
)

MARINECADASTRE = CsvLayout(
    name="MarineCadastre CSV",
    timestamp="BaseDateTime",
    timestamp_format=None,
    mmsi="MMSI",
    lat="LAT",
    lon="LON",
    sog="SOG",
    cog="COG",
    heading="Heading",
    nav_status="Status",
    imo="IMO",
    callsign="CallSign",
    vessel_name="VesselName",
    ship_type="VesselType",
    length="Length",
    width="Width",
    draught="Draft",
    destination=None,
    kind="TransceiverClass",
)
