"""Name scoring: the features that make DPRK screening hard, each on its own."""

from __future__ import annotations

import pytest

from sanctionwatch.screening.score import (
    IMO_CONFLICT_CAP,
    compare_name,
    compare_names,
    token_similarity,
)


@pytest.mark.parametrize(
    ("schema", "query", "listed", "low", "high"),
    [
        # numbers must agree: KUM UN SAN 3 is another ship than KUM UN SAN 2
        ("Vessel", "KUM UN SAN 3", "KUM UN SAN 3", 0.85, 1.0),
        ("Vessel", "KUM UN SAN 3", "KUM UN SAN 2", 0.0, 0.5),
        ("Vessel", "SPARTA IV", "SPARTA III", 0.0, 0.5),
        ("Vessel", "Maia 1", "MAIA-1", 0.8, 1.0),
        ("Vessel", "M/V An San 1", "AN SAN 1", 0.85, 1.0),  # prefix dropped, "An" kept
        ("Vessel", "안산 1", "AN SAN 1", 0.85, 1.0),  # a ship's name in Hangul
        ("Vessel", "금강 2", "KUM GANG 3", 0.0, 0.5),
        ("Vessel", "RANAM 3", "RA NAM 3", 0.8, 1.0),
        # transliteration variants of the same Cyrillic name, and the Cyrillic itself
        ("Vessel", "Maiya-1", "MAIA-1", 0.8, 1.0),
        ("Vessel", "Майя-1", "MAIA-1", 0.8, 1.0),
        ("Vessel", "Ангара", "ANGARA", 0.8, 1.0),
        ("Company", "Трансморфлот", "TRANSMORFLOT LLC", 0.8, 1.0),
        # legal forms and generic words do not make two companies one (below 0.7, the
        # default threshold)
        (
            "Company",
            "Korea Mining Development Trading Corp.",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            0.9,
            1.0,
        ),
        (
            "Company",
            "Korea Kumsan Trading Corporation",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            0.0,
            0.6,
        ),
        ("Company", "Korea Trading Company Ltd", "Korea Shipping Company Ltd", 0.0, 0.69),
        ("Company", "Siemens Aktiengesellschaft", "Siemens AG", 0.9, 1.0),
        ("Company", "KOREA ANSAN SHPG CO", "KOREA ANSAN SHIPPING COMPANY", 0.85, 1.0),
        ("Company", "Chong-chongang Sipping Company", "CHONG-CHONGANG SHIPPING COMPANY", 0.85, 1.0),
        ("Organization", "PLA", "People's Liberation Army", 0.85, 1.0),
        # people: order, spacing, initials, an extra middle name, a conflicting one
        ("Person", "Putin Vladimir", "Vladimir Putin", 0.95, 1.0),
        ("Person", "V. Putin", "Vladimir Putin", 0.7, 1.0),
        ("Person", "Vladimir Putin", "Vladimir Vladimirovich Putin", 0.7, 0.95),
        ("Person", "Octavian Scholz", "Olaf Scholz", 0.0, 0.6),
        ("Person", "ALI SADDAM HUSSEIN AL-RAWI", "ALI SADDAM HUSSEIN AL-TIKRITI", 0.0, 0.7),
        ("Person", "FridrichBuchenberg", "Friedrich Buchenberg", 0.8, 1.0),
        ("Person", "Ig0r Sech1n", "Igor Sechin", 0.9, 1.0),
        # Korean names: romanisations meet; another given name is another person
        ("Person", "Kim Chong-un", "KIM, Jong Un", 0.95, 1.0),
        ("Person", "Kim Jong Nam", "KIM, Jong Un", 0.0, 0.69),
        ("Person", "Kim Jong Il", "KIM, Jong Un", 0.0, 0.69),
        ("Person", "Kim Yo Jong", "KIM, Jong Un", 0.0, 0.69),
        ("Person", "Kim Jong Un", "Tong-un KIM", 0.0, 0.69),  # UK OFSI 11032, another Kim
        ("Person", "KIM, Son-gwang", "KIM, Su-Kwang", 0.3, 0.69),  # a listed alias, spelled apart
        # Korean names in Chinese characters (Hanja), read in Hangul
        ("Person", "金正恩", "KIM, Jong Un", 0.95, 1.0),
        ("Person", "崔龍海", "Choe Ryong Hae", 0.95, 1.0),
        ("Person", "金正男", "KIM, Jong Un", 0.0, 0.5),
        # Korean names heard through Mandarin (pinyin of their Chinese characters)
        ("Person", "Cui Longhai", "CHOE, Ryong Hae", 0.85, 0.95),
        ("Person", "Jin Zhengen", "KIM, Jong Un", 0.85, 0.95),
        ("Person", "Jin Zhengnan", "KIM, Jong Un", 0.0, 0.5),
        ("Person", "Xi Jinping", "KIM, Jong Un", 0.0, 0.3),
        # Hangul and CJK: one different syllable is another person
        ("Person", "김종은", "김정은", 0.0, 0.5),
        ("Person", "习近朋", "习近平", 0.0, 0.5),
    ],
)
def test_name_scores(schema: str, query: str, listed: str, low: float, high: float) -> None:
    score = compare_name(query, listed, schema).score
    assert low <= score <= high, (query, listed, score)


def test_token_similarity_has_an_edit_budget() -> None:
    assert token_similarity("scholz", "scholze") > 0.8
    assert token_similarity("scholz", "schulze") == 0.0  # two edits in seven letters
    assert token_similarity("un", "ul") == 0.0  # no edit allowed in two letters
    assert token_similarity("v", "vladimir") == 0.8  # an initial


def test_imo_number_decides_for_vessels() -> None:
    # the sanctioned Ro-Ro ANGARA is IMO 9179842; another ANGARA (9124043) burned off Japan
    assert compare_names("Vessel", "ANGARA", "ANGARA", "9179842", "IMO9179842") == 1.0
    assert compare_names("Vessel", "ANGARA", "ANGARA", "9124043", "9179842") <= IMO_CONFLICT_CAP
    renamed = compare_names("Vessel", "SOME NEW NAME", "ANGARA", "IMO 9179842", "9179842")
    assert renamed == 1.0
    name_only = compare_names("Vessel", "ANGARA", "ANGARA")
    assert 0.7 <= name_only < 1.0  # several ships share a name: weaker than an IMO match
    # a name alone that is also shorter than the listed one stays below the threshold
    assert compare_names("Vessel", "M/V San 1", "AN SAN 1") < 0.7


def test_explanation_names_the_method_and_features() -> None:
    comparison = compare_name("Vladimir Putin", "Vladimir Vladimirovich Putin", "Person")
    assert comparison.method == "tokens"
    assert comparison.features["query_matched"] == 1.0
    assert comparison.features["candidate_matched"] < 1.0
