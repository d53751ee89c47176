"""Vessel summaries for the model from identity histories and identity rows."""

from __future__ import annotations

from sanctionwatch.ais.tables import IdentityRow
from sanctionwatch.risk.model import score_vessels
from sanctionwatch.risk.params import default_risk_params
from sanctionwatch.risk.vessels import summaries_from_histories, summaries_from_identity_rows


def row(imo: int | None, name: str | None, first: int, last: int) -> IdentityRow:
    return IdentityRow(
        f"306000001:{first}:{{}}",
        306000001,
        imo,
        name,
        None,
        None,
        None,
        None,
        None,
        None,
        first,
        last,
        "f.nmea:1",
    )


def test_latest_known_values_and_no_flag_from_the_mid() -> None:
    rows = [row(9179842, "ANGARA", 0, 10), row(None, "NEW NAME", 20, 30), row(None, None, 40, 50)]
    assert summaries_from_identity_rows(reversed(rows)) == [
        {"mmsi": 306000001, "imo": 9179842, "name": "NEW NAME", "flag": None}
    ]
    history = {
        "mmsi": 306000001,
        "mid_flag": "bq/cw/sx",
        "identities": [
            {"last_seen": "2024-01-02T00:00:00Z", "imo": None, "name": "NEW NAME"},
            {"last_seen": "2024-01-01T00:00:00Z", "imo": 9179842, "name": "ANGARA"},
        ],
    }
    [summary] = summaries_from_histories([history])
    assert summary == {"mmsi": 306000001, "imo": 9179842, "name": "NEW NAME", "flag": None}
    # MID 306 names three territories: with no flag given, nothing contradicts it.
    [risk] = score_vessels([summary], [], [], [], default_risk_params())
    assert (risk.flag, risk.factors) == ("bq/cw/sx", ())
