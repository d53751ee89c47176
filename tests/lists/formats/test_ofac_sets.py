"""OFAC legacy CSV parser: the joins of a four-file set on ent_num, newer auxiliary files,
the consolidated non-SDN list, several sets in one call, and bad input (split from
test_ofac_csv.py, which holds sniffing and the 2024 SDN file on its own)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from followthemoney.types import registry

from sanctionwatch.errors import InputError
from sanctionwatch.lists.formats import ofac_csv
from sanctionwatch.lists.model import ParseResult
from tests.lists.formats.ofac_support import (
    AUX_2025,
    BROKEN,
    CONS,
    SDN_2024,
    SET_2021,
    by_id,
    of_record,
    one,
    parties,
    plain_rows,
    set_files,
)

# --- the consistent 2021 set: joins on ent_num -----------------------------------------


def test_set_2021_joins_every_row(set_2021: ParseResult) -> None:
    assert set_2021.files == ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    assert set_2021.rejected == []
    assert len(parties(set_2021)) == len(plain_rows(SET_2021 / "sdn.csv")) == 8_976
    # Every address row with any content gives an Address (distinct texts per party).
    # (FtM normalises address text: runs of spaces, doubled commas.)
    expected = {
        (row[0], registry.address.clean(", ".join(c for c in row[2:5] if c.strip() != "-0-")))
        for row in plain_rows(SET_2021 / "add.csv")
        if any(c.strip() != "-0-" for c in row[2:6])
    }
    addresses = [e for e in set_2021.entities if e.proxy.schema.name == "Address"]
    assert len(addresses) == len(expected) == 11_440
    assert {(e.record_id, e.proxy.get("full")[0]) for e in addresses} == expected
    # Every alias row lands on its party, as alias (aka, nka) or previousName (fka).
    names = by_id(set_2021)
    for row in plain_rows(SET_2021 / "alt.csv"):
        prop = "previousName" if row[2] == "fka" else "alias"
        name = registry.name.clean(row[3])  # FtM collapses runs of spaces in names
        assert name in names[f"ofac-{row[0]}"].get(prop), row


def test_set_2021_reconnaissance_general_bureau(set_2021: ParseResult) -> None:
    record = of_record(set_2021, "12210")
    rgb = record["ofac-12210"]
    assert rgb.schema.name == "LegalEntity"
    assert sorted(rgb.get("alias")) == ["CHONGCH'AL CH'ONGGUK", "KPA UNIT 586"]
    assert rgb.get("weakAlias") == ["RGB"]  # "a.k.a. 'RGB'" in Remarks: OFAC's weak a.k.a.
    assert sorted(rgb.get("address")) == [
        "Hyongjesan-Guyok, Pyongyang, Korea, North",
        "Nungrado, Pyongyang, Korea, North",
    ]
    addresses = [p for p in record.values() if p.schema.name == "Address"]
    assert sorted(rgb.get("addressEntity")) == sorted(str(a.id) for a in addresses)
    nungrado = next(a for a in addresses if a.get("street") == ["Nungrado"])
    assert nungrado.get("city") == ["Pyongyang"]
    assert nungrado.get("country") == ["kp"]
    source = next(e.source for e in set_2021.entities if e.entity_id == nungrado.id)
    assert source == "add.csv:4887"


def test_set_2021_ocean_maritime_management(set_2021: ParseResult) -> None:
    omm = by_id(set_2021)["ofac-17068"]
    assert sorted(omm.get("alias")) == [
        "EAST SEA SHIPPING COMPANY",
        "HAEYANG CREW MANAGEMENT COMPANY",
        "KOREA MIRAE SHIPPING CO. LTD.",
    ]
    assert len(omm.get("addressEntity")) == 13
    assert "43-39 Lugovaya, Vladivostok, Russia" in omm.get("address")


def test_set_2021_remarks_overflow_is_joined(set_2021: ParseResult) -> None:
    # sdn.csv cuts TIAN Yinyin's Remarks at "a.k.a. 'snowsjo"; sdn_comments.csv goes on
    # with "hn'; Linked To: LAZARUS GROUP."
    cut = next(r for r in plain_rows(SET_2021 / "sdn.csv") if r[0] == "28263")[11]
    assert len(cut) == 1000
    assert cut.endswith("a.k.a. 'snowsjo")
    record = of_record(set_2021, "28263")
    tian = record["ofac-28263"]
    assert "snowsjohn" in tian.get("weakAlias")
    assert "snowsjo" not in tian.get("weakAlias")
    assert sorted(tian.get("program")) == ["CYBER2", "DPRK3"]
    assert tian.get("gender") == ["male"]
    assert tian.get("birthDate") == ["1986-07-12"]
    link = next(p for p in record.values() if p.schema.name == "UnknownLink")
    assert by_id(set_2021)[link.get("object")[0]].get("name") == ["LAZARUS GROUP"]
    # The four other overflow rows were joined too: no overflow text left unused.
    overflow_ids = {row[0] for row in plain_rows(SET_2021 / "sdn_comments.csv")}
    assert overflow_ids == {"12300", "28263", "28264", "29703", "30518"}
    cifuentes = by_id(set_2021)["ofac-12300"]  # its overflow is a run of "Linked To"s
    assert "Linked To: R D I S.A" not in cifuentes.get("notes")
    cifuentes_links = [
        p for p in of_record(set_2021, "12300").values() if p.schema.name == "UnknownLink"
    ]
    assert len(cifuentes_links) == cifuentes_remarks_link_count()


def cifuentes_remarks_link_count() -> int:
    """Linked To statements of ent_num 12300 in sdn.csv plus sdn_comments.csv."""
    cut = next(r for r in plain_rows(SET_2021 / "sdn.csv") if r[0] == "12300")[11]
    rest = next(r for r in plain_rows(SET_2021 / "sdn_comments.csv") if r[0] == "12300")[1]
    return (cut + rest).count("Linked To: ")


# --- the 2024 SDN file with newer auxiliary files --------------------------------------


def test_aux_2025_rows_without_a_primary_are_rejected(sdn_2024_with_aux: ParseResult) -> None:
    result = sdn_2024_with_aux
    assert result.files == ["sdn_2024-05-03.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    known = {row[0] for row in plain_rows(SDN_2024)}
    missing = {
        name: [r for r in plain_rows(AUX_2025 / name) if r[0] not in known]
        for name in ("add.csv", "alt.csv", "sdn_comments.csv")
    }
    rejected = Counter(
        r.file for r in result.rejected if r.reason.startswith("no primary record for ent_num")
    )
    assert rejected == {name: len(rows) for name, rows in missing.items()}
    assert rejected == {"add.csv": 4_893, "alt.csv": 2_460, "sdn_comments.csv": 6}
    # Aliases of ent_num above 48907 (the highest in the 2024 file) are newer than it:
    # 2,308 of the 2,460; the other 152 belong to parties delisted since.
    newer = [r for r in result.rejected if r.file == "alt.csv" and int(r.raw.split(",")[0]) > 48907]
    assert len(newer) == 2_308
    first = next(r for r in result.rejected if r.file == "alt.csv")
    assert first.reason == (
        f"no primary record for ent_num {first.raw.split(',')[0]} in sdn_2024-05-03.csv"
    )


def test_aux_2025_overflow_for_complete_remarks_is_rejected(
    sdn_2024_with_aux: ParseResult,
) -> None:
    # Five overflow rows continue Remarks that are whole (under 1000 characters) in the
    # 2024 file: they belong to the 2025 edition, and appending them would garble them.
    complete = [r for r in sdn_2024_with_aux.rejected if r.reason.startswith("overflow for")]
    assert sorted(r.raw.split(",")[0] for r in complete) == [
        "22985",
        "34682",
        "34741",
        "35163",
        "36025",
    ]
    assert all(r.file == "sdn_comments.csv" and r.line > 0 for r in complete)
    person = by_id(sdn_2024_with_aux)["ofac-22985"]
    assert person.get("previousName") == ["KYONGYONG CREDIT BANK"]
    assert len(sdn_2024_with_aux.rejected) == 4_893 + 2_460 + 6 + 5


def test_aux_2025_joins_aliases_of_parties_still_listed(sdn_2024_with_aux: ParseResult) -> None:
    rgb = by_id(sdn_2024_with_aux)["ofac-12210"]
    assert "KPA UNIT 586" in rgb.get("alias")
    assert len(parties(sdn_2024_with_aux)) == 14_965


# --- the consolidated non-SDN list -----------------------------------------------------


def test_consolidated_list(cons: ParseResult) -> None:
    assert cons.list_name == "ofac_cons"
    assert cons.files == ["cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"]
    assert cons.rejected == []
    rows = plain_rows(CONS / "cons_prim.csv")
    found = parties(cons)
    assert len(found) == len(rows) == 442
    assert Counter(p.schema.name for p in found) == {"Person": 79, "LegalEntity": 363}
    assert not any(c.startswith("DPRK") for p in found for c in p.get("program"))
    haniya = by_id(cons)["ofac-9639"]
    assert haniya.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert haniya.get("birthDate") == ["1962"]
    assert haniya.get("birthPlace") == ["Shati"]
    assert haniya.get("program") == ["NS-PLC"]
    assert {"HANIYA, Ismail", "HANIYYA, Ismaeel"} <= set(haniya.get("alias"))
    # cons_comments.csv: all ten overflow rows continue cut Remarks.
    assert len(plain_rows(CONS / "cons_comments.csv")) == 10


# --- several sets in one call, and bad input ---------------------------------------------


def test_one_call_with_two_lists_gives_two_results() -> None:
    results = ofac_csv.parse([*set_files(CONS), *set_files(BROKEN)])
    assert [r.list_name for r in results] == ["ofac_cons", "ofac_sdn"]
    assert results[1].files == ["sdn.csv", "alt.csv"]


def test_broken_rows_are_rejected_with_line_numbers_and_the_rest_loaded() -> None:
    result = one(ofac_csv.parse(set_files(BROKEN)))
    rejected = sorted((r.file, r.line, r.reason) for r in result.rejected)
    assert [(f, n) for f, n, _ in rejected] == [
        ("alt.csv", 3),
        ("alt.csv", 6),
        ("sdn.csv", 3),
        ("sdn.csv", 6),
        ("sdn.csv", 7),
    ]
    reasons = {(f, n): reason for f, n, reason in rejected}
    assert reasons[("sdn.csv", 3)].startswith("expected 12 columns")
    assert reasons[("sdn.csv", 3)].endswith("found 10")
    assert reasons[("sdn.csv", 7)].endswith("found 13")
    assert reasons[("sdn.csv", 6)] == "ent_num 'ABC' is not a number"
    assert reasons[("alt.csv", 3)].endswith("found 3")
    assert reasons[("alt.csv", 6)] == "no primary record for ent_num 99999 in sdn.csv"
    raw = next(r.raw for r in result.rejected if (r.file, r.line) == ("sdn.csv", 3))
    assert raw.startswith("17069,CHONG CHON GANG,vessel,DPRK")
    assert sorted(str(p.id) for p in parties(result)) == [
        "ofac-12210",
        "ofac-17068",
        "ofac-17614",
        "ofac-4238",
    ]
    omm = by_id(result)["ofac-17068"]
    assert sorted(omm.get("alias")) == [
        "HAEYANG CREW MANAGEMENT COMPANY",
        "KOREA MIRAE SHIPPING CO. LTD.",
    ]


def test_auxiliary_files_alone_are_refused() -> None:
    with pytest.raises(InputError, match=r"load it together with sdn\.csv"):
        ofac_csv.parse(set_files(AUX_2025))
    with pytest.raises(InputError, match=r"cons_prim\.csv"):
        ofac_csv.parse([SDN_2024, CONS / "cons_alt.csv"])


def test_auxiliary_files_with_two_primaries_elsewhere_are_ambiguous() -> None:
    with pytest.raises(InputError, match="several OFAC primary files"):
        ofac_csv.parse([SDN_2024, SET_2021 / "sdn.csv", AUX_2025 / "alt.csv"])


def test_auxiliary_file_joins_the_primary_in_its_folder() -> None:
    results = ofac_csv.parse([SET_2021 / "sdn.csv", BROKEN / "sdn.csv", BROKEN / "alt.csv"])
    assert [r.files for r in results] == [["sdn.csv"], ["sdn.csv", "alt.csv"]]


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "sdn.csv"
    other.write_text("name,country\nKIM Jong Un,KP\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"sdn\.csv:1: not an OFAC legacy CSV"):
        ofac_csv.parse([other])
