"""The port gazetteer (NGA World Port Index + flagged manual entries) and distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sanctionwatch.geo import Port, PortNotFoundError, find_port, haversine_m, load_ports


def test_every_wpi_port_is_bundled_plus_the_manual_entries() -> None:
    ports = load_ports()
    wpi = [port for port in ports if port.source == "NGA WPI"]
    manual = [port for port in ports if port.manual]
    assert len(wpi) == 3768  # UpdatedPub150.csv has 3,768 ports
    assert [port.name for port in manual] == ["Dunai"]
    assert all(len(port.country) == 2 and port.country.isupper() for port in ports)
    assert all(-90 <= port.lat <= 90 and -180 <= port.lon <= 180 for port in ports)


def test_dunai_is_a_manual_unverified_entry() -> None:
    dunai = find_port("Dunai")
    assert dunai.manual
    assert dunai.country == "RU"
    assert dunai.locode is None
    assert (dunai.lat, dunai.lon) == (42.9, 132.3)
    assert dunai.note is not None and "unverified" in dunai.note


@pytest.mark.parametrize(
    ("query", "name", "locode", "lat", "lon"),
    [
        ("Rajin", "Najin", "KPRJN", 42.233333, 130.3),
        ("KP RJN", "Najin", "KPRJN", 42.233333, 130.3),
        ("kprjn", "Najin", "KPRJN", 42.233333, 130.3),
        ("Rashin", "Najin", "KPRJN", 42.233333, 130.3),
        ("Vostochny", "Vostochnyy", "RUVYP", 42.75, 133.083333),
        ("chongjin", "Ch'ongjin", "KPCHO", 41.766667, 129.816667),
        ("Vladivostok", "Vladivostok", "RUVVO", 43.108889, 131.888333),
        ("Nampho", "Nampo", "KPNAM", 38.716667, 125.4),
        ("Songnim", "Kyomip'o", "KPSGN", 38.733333, 125.616667),
        ("Busan", "Busan", "KRPUS", 35.1, 129.033333),
    ],
)
def test_find_port_by_name_alias_or_locode(
    query: str, name: str, locode: str, lat: float, lon: float
) -> None:
    port = find_port(query)
    assert (port.name, port.locode) == (name, locode)
    assert port.lat == pytest.approx(lat, abs=1e-6)
    assert port.lon == pytest.approx(lon, abs=1e-6)


def test_unknown_and_ambiguous_names_raise_with_a_useful_message() -> None:
    with pytest.raises(PortNotFoundError, match=r"No port called 'Atlantis'"):
        find_port("Atlantis")
    with pytest.raises(PortNotFoundError, match=r"names \d+ ports: .*give the UN/LOCODE"):
        find_port("Kingston")
    with pytest.raises(PortNotFoundError):
        find_port("  ")


def test_haversine_on_floats() -> None:
    one_degree = haversine_m(0.0, 0.0, 1.0, 0.0)
    assert isinstance(one_degree, float)
    assert one_degree == pytest.approx(111_195.0, rel=1e-4)
    assert haversine_m(42.0, 130.0, 42.0, 130.0) == 0.0
    # Rajin to Vostochnyy, straight line: about 237 km.
    rajin, vostochnyy = find_port("Rajin"), find_port("Vostochnyy")
    assert haversine_m(rajin.lat, rajin.lon, vostochnyy.lat, vostochnyy.lon) == pytest.approx(
        237_000, rel=0.01
    )


def test_haversine_broadcasts_over_numpy_arrays() -> None:
    lat = np.array([0.0, 10.0, 60.0])
    lon = np.array([0.0, 0.0, 0.0])
    out = haversine_m(lat, lon, lat, lon + 1.0)
    assert out.shape == (3,)
    expected = [111_195.0 * math.cos(math.radians(x)) for x in lat]
    assert out == pytest.approx(expected, rel=1e-3)
    matrix = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    assert matrix.shape == (3, 3)
    assert np.allclose(np.diag(matrix), 0.0)
    assert np.allclose(matrix, matrix.T)


def test_port_is_a_plain_frozen_record() -> None:
    port = Port("X", "KP", None, 1.0, 2.0)
    assert not port.manual
    with pytest.raises(AttributeError):
        port.name = "Y"  # type: ignore[misc]
