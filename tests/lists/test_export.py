"""FtM export of every bundled list: each entity written must read back in followthemoney
unchanged (a value FtM would drop on reading is a value the export silently lost)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from followthemoney import model

from sanctionwatch.lists.export import export_ftm
from sanctionwatch.lists.loader import load_batches
from sanctionwatch.lists.store import ListStore
from tests.conftest import OFAC_AUX_2025, OFAC_CONS_2025, OFAC_SDN_2024, UK_OFSI_2018, UN_2026


def test_every_exported_value_reads_back_unchanged(tmp_path: Path) -> None:
    with ListStore(tmp_path / "lists.sqlite") as store:
        load_batches(
            store, [[UN_2026], [OFAC_SDN_2024, OFAC_AUX_2025], [OFAC_CONS_2025], [UK_OFSI_2018]]
        )
        handle = io.StringIO()
        written = export_ftm(store, handle)
        expected = sum(store.find_version(name).entity_count for name in store.list_names())
    lines = handle.getvalue().splitlines()
    assert written == len(lines) == expected
    changed = []
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        for prop, values in data["properties"].items():
            if sorted(proxy.get(prop)) != sorted(values):
                changed.append((data["id"], prop, values))
    assert changed == []
    assert {json.loads(line)["datasets"][0] for line in lines} == {
        "un",
        "ofac_sdn",
        "ofac_cons",
        "uk_ofsi",
    }
