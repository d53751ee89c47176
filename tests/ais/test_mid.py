"""The flag implied by an MMSI, from the bundled ITU MID table."""

from __future__ import annotations

from sanctionwatch.ais.mid import mid_table, mmsi_info


def test_the_table_covers_every_itu_row() -> None:
    table = mid_table()
    # 294 rows in the ITU table; MID 306 is allocated to three territories.
    assert sum(len(codes) for codes, _ in table.values()) == 294
    assert table[445][0] == ("kp",) and table[273][0] == ("ru",)
    assert table[306][0] == ("bq", "cw", "sx")
    assert all(code for codes, _ in table.values() for code in codes)


def test_station_kinds_and_flags() -> None:
    dprk = mmsi_info(445123000)
    assert (dprk.kind, dprk.mid, dprk.flag, dprk.problem) == ("ship", 445, "kp", None)
    assert mmsi_info(273456780).flag == "ru"
    assert mmsi_info(306000001).flag is None and mmsi_info(306000001).flags == ("bq", "cw", "sx")
    assert (mmsi_info(2734567).kind, mmsi_info(2734567).flag) == ("coast station", "ru")
    assert (mmsi_info(992731234).kind, mmsi_info(992731234).flag) == ("aid to navigation", "ru")
    assert (mmsi_info(111273100).kind, mmsi_info(111273100).flag) == ("SAR aircraft", "ru")
    assert mmsi_info(970123456).kind == "AIS-SART" and mmsi_info(970123456).problem is None


def test_problems_are_named() -> None:
    assert mmsi_info(200000001).problem == "MID 200 is not allocated to any state"
    assert mmsi_info(1_234_567_890).problem == "MMSI 1234567890 is not 9 digits"
    assert mmsi_info(812345678).problem == "MMSI 812345678 starts with no known prefix"
