"""Every feature and qualifier the engine can report is documented in /match's matcher docs."""

from __future__ import annotations

from sanctionwatch.screening.engine import score_party
from sanctionwatch.screening.index import IndexedParty
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.names import analyse_name
from sanctionwatch.web.features import features, matcher_docs


def _party(schema: str, name: str, **extra: list[str]) -> IndexedParty:
    return IndexedParty(
        "x",
        "test",
        "2026-01-01",
        "1",
        schema,
        name,
        [("name", analyse_name(name, schema))],
        **extra,
    )


def test_every_reported_feature_has_its_documentation() -> None:
    cases = [
        (
            Query("Cui Longhai", schema="Person", birth_date="1950", nationality="kp"),
            _party("Person", "CHOE, Ryong Hae", birth_dates=["1950"], countries=["kp"]),
        ),
        (Query("Kim Jong Nam", schema="Person"), _party("Person", "KIM, Jong Un")),
        (
            Query("Kumsong Trading Co 3", schema="Company"),
            _party("Company", "Kumsong Shipping Co 2"),
        ),
        (Query("Olaf Scholz Meier", schema="Person"), _party("Person", "Olaf Octavian Scholz")),
        (
            Query("ANGARA", schema="Vessel", imo="9179842"),
            _party("Vessel", "ANGARA", imo_numbers=["9179842"]),
        ),
        (
            Query("ANGARA", schema="Vessel", imo="9124043"),
            _party("Vessel", "ANGARA", imo_numbers=["9179842"]),
        ),
        (Query("ANGARA", schema="Vessel"), _party("Vessel", "ANGARA")),
        (Query("陈阳", schema="Person"), _party("Person", "WANG, Chen")),
        (Query("윤예은", schema="Person"), _party("Person", "YUAN, Yun Xia")),
        (Query("Kani Zulkarnain", schema="Person"), _party("Person", "Zulkarnain")),
        (
            Query("Kani Zulkarnain", schema="Person", birth_date="1963"),
            _party("Person", "Zulkarnain", birth_dates=["1963-01-01"]),
        ),
        (Query("Hong Dang", schema="Person"), _party("Person", "KANG, Hong Mun")),
        (Query("Denise Yang", schema="Person"), _party("LegalEntity", "DENISE COMPANY")),
        (
            Query("Jon Martin", schema="Person"),
            IndexedParty(
                "x",
                "test",
                "2026-01-01",
                "1",
                "Person",
                "KHAKI, Parviz",
                [
                    ("name", analyse_name("KHAKI, Parviz", "Person")),
                    ("weakAlias", analyse_name("MARTIN", "Person")),
                ],
            ),
        ),
    ]
    documented = set(matcher_docs())
    reported: set[str] = set()
    for query, party in cases:
        reported |= set(features(score_party(query, party).explanation))
    assert {"pinyin", "korean", "business_words_differ", "imo_match", "birth_date"} <= reported
    assert {
        "reading_syllables",
        "hangul_unread",
        "single_name",
        "single_name_corroborated",
        "short_slips",
        "weak_alias_alone",
        "person_vs_organisation",
    } <= reported
    assert reported <= documented, reported - documented
