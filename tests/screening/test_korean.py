"""Korean names across Hangul, romanisations and Cyrillic.

Names are real: OFAC SDN ("KIM, Jong Un", DPRK3), the UN 1718 list's primary names and aliases
(2018 XML, reference numbers given), and the Russian renderings quoted in
shared/reference/dprk-russia-case-notes.md section 5.
"""

from itertools import combinations

import pytest

from sanctionwatch.screening.korean import (
    KoreanMatch,
    is_hangul,
    korean_keys,
    korean_similarity,
    romanise_hangul,
    split_hangul_name,
)

KIM_JONG_UN = [
    "김정은",
    "김 정은",
    "Kim Jong Un",
    "Kim Jong-un",
    "Kim Jongun",
    "KIM, Jong Un",
    "Jong Un Kim",
    "Kim Chong-un",
    "Kim Chŏng-ŭn",
    "Gim Jeong-eun",
    "Ким Чен Ын",
    "Ким Чон Ын",
    "Ким Чонъын",
    "Ким Чен Ун",
]
RI_PYONG_CHOL = [
    "리병철",
    "Ri Pyong Chol",
    "RI, Pyong Chol",
    "Lee Byeong-cheol",
    "Rhee Pyong-chol",
    "Yi Pyŏng-ch'ŏl",
    "I Byeong-cheol",
    "Ли Пхён Чхоль",
]
CHOE_RYONG_HAE = [
    "최룡해",
    "Choe Ryong Hae",
    "CHOE, Ryong Hae",
    "Choi Ryong-hae",
    "Ch'oe Ryong-hae",
    "Chwe Ryong-hae",
    "Чхве Рён Хэ",
]
PAK_JONG_CHON = ["박정천", "Pak Jong Chon", "Park Jong-chon", "Bak Jeong-cheon", "Пак Чон Чхон"]


def test_is_hangul() -> None:
    assert is_hangul("김정은")
    assert is_hangul("김 정은")
    assert is_hangul("ㄱㄴ")
    assert not is_hangul("Kim Jong Un")
    assert not is_hangul("Kim 정은")
    assert not is_hangul("金正恩")
    assert not is_hangul("")


def test_split_hangul_name() -> None:
    assert split_hangul_name("김정은") == [("김", "정은")]
    assert split_hangul_name("김 정은") == [("김", "정은")]
    assert split_hangul_name("정은 김") == [("김", "정은")]
    assert split_hangul_name("남궁민") == [("남궁", "민"), ("남", "궁민")]
    assert split_hangul_name("황보관") == [("황보", "관"), ("황", "보관")]
    assert split_hangul_name("선우재") == [("선우", "재"), ("선", "우재")]
    assert split_hangul_name("김") == []
    assert split_hangul_name("Kim Jong Un") == []
    assert split_hangul_name("조선민주주의인민공화국") == []


@pytest.mark.parametrize(
    ("hangul", "dprk", "mr", "rr"),
    [
        ("김정은", "Kim Jong Un", "Kim Chong-un", "Kim Jeong-eun"),
        ("리병철", "Ri Pyong Chol", "Ri Pyong-ch'ol", "Lee Byeong-cheol"),
        ("최룡해", "Choe Ryong Hae", "Ch'oe Ryong-hae", "Choi Ryong-hae"),
        ("박정천", "Pak Jong Chon", "Pak Chong-ch'on", "Park Jeong-cheon"),
        ("김여정", "Kim Yo Jong", "Kim Yo-jong", "Kim Yeo-jeong"),
        ("김일성", "Kim Il Song", "Kim Il-song", "Kim Il-seong"),
        ("김경희", "Kim Kyong Hui", "Kim Kyong-hui", "Kim Gyeong-hui"),
        ("현송월", "Hyon Song Wol", "Hyon Song-wol", "Hyun Song-wol"),
        ("남궁민", "Namgung Min", "Namgung Min", "Namgung Min"),
        ("정은 김", "Jong Un Kim", "Chong-un Kim", "Jeong-eun Kim"),
    ],
)
def test_romanise_hangul(hangul: str, dprk: str, mr: str, rr: str) -> None:
    assert romanise_hangul(hangul, "dprk") == dprk
    assert romanise_hangul(hangul, "mr") == mr
    assert romanise_hangul(hangul, "rr") == rr


def test_romanise_hangul_rejects_an_unknown_system() -> None:
    with pytest.raises(ValueError, match="unknown romanisation system"):
        romanise_hangul("김정은", "wade-giles")  # type: ignore[arg-type]


def test_korean_keys() -> None:
    assert korean_keys("김정은") == {("kim", "jong", "un")}
    assert korean_keys("리병철") == {("i", "pyong", "jol")}
    assert korean_keys("Ri Pyong Chol") == {("i", "pyong", "jol")}
    assert korean_keys("Lee Byeong-cheol") == {("i", "pyong", "jol")}
    assert korean_keys("Choe Ryong Hae") == {("joe", "yong", "hae")}
    assert ("kim", "jong", "un") in korean_keys("Kim Jong Un")
    assert ("kim", "jong", "un") in korean_keys("Ким Чен Ын")
    # Joined syllables are split every plausible way: Jong+un and Jon+gun.
    assert {("kim", "jong", "un"), ("kim", "jon", "kun")} <= korean_keys("Kim Jongun")
    # Family name last or first: both orders, family name first in each.
    assert {("kim", "jong", "un"), ("jong", "un", "kim")} <= korean_keys("Jong Un Kim")


def test_korean_keys_empty_for_names_that_are_not_korean() -> None:
    assert korean_keys("Vladimir Putin") == frozenset()
    assert korean_keys("Korea Mining Development Trading Corporation") == frozenset()
    assert korean_keys("Reconnaissance General Bureau") == frozenset()
    assert korean_keys("Kim") == frozenset()
    assert korean_keys("金正恩") == frozenset()
    assert korean_keys("") == frozenset()


def test_korean_keys_stay_bounded() -> None:
    assert len(korean_keys("Ким Чен Ен Ен")) <= 64
    assert len(korean_keys("Kim Jongunjongun")) <= 64


@pytest.mark.parametrize("family", [KIM_JONG_UN, RI_PYONG_CHOL, CHOE_RYONG_HAE, PAK_JONG_CHON])
def test_every_variant_of_a_name_matches_every_other(family: list[str]) -> None:
    for a, b in combinations(family, 2):
        match = korean_similarity(a, b)
        assert match is not None, (a, b)
        assert match.score >= 0.98, (a, b, match)


def test_direct_readings_score_one_and_indirect_ones_098() -> None:
    assert korean_similarity("Kim Jong Un", "Kim Jong-un") == KoreanMatch(1.0, "same syllables")
    assert korean_similarity("김정은", "Kim Chŏng-ŭn") == KoreanMatch(1.0, "same syllables")
    assert korean_similarity("Kim Jongun", "Kim Jong Un") == KoreanMatch(
        0.98,
        "same syllables (joined syllables split)",
    )
    assert korean_similarity("Jong Un Kim", "KIM, Jong Un") == KoreanMatch(
        0.98,
        "same syllables (family name moved first)",
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CHANG CHANG HA", "Jang Chang Ha"),  # KPi.037
        ("CHO CHUN RYONG", "Jo Chun Ryong"),  # KPi.038
        ("PAEK CHANG-HO", "Paek Ch'ang-Ho"),  # KPi.006
        ("CHOE CHUN-SIK", "Ch'oe Ch'un Sik"),  # KPi.013
        ("YUN HO-JIN", "Yun Ho-chin"),  # KPi.001
        ("CHU HYO'K", "Ju Hyok"),  # KPi.065
        ("CHO IL U", "Cho Il Woo"),  # KPi.040
        ("RI JAE IL", "RI Chae-Il"),  # KPi.051
        ("KIM JUNG JONG", "Kim Chung Chong"),  # KPi.021
        ("HYON KWANG IL", "Hyon Gwang Il"),  # KPi.015
        ("RA KY'ONG-SU", "Ra Kyung-Su"),  # KPi.008
        ("RI U'N SO'NG", "Ri Eun Song"),  # KPi.078
        ("PAK BONG NAM", "Pak Pong-nam"),  # KPi.073
        ("MIN BYONG CHOL", "Min Pyo'ng-ch'o'l"),  # KPi.047
        ("HAN JANG SU", "Chang-Su Han"),  # KPi.055, name order reversed
        ("JON MYONG GUK", "Cho'n Myo'ng-kuk"),  # KPi.018
        ("Kim Il Sung", "Ким Ир Сен"),
        ("Kim Jong Il", "Ким Чен Ир"),
        ("JONG Kyong Thaek", "정경택"),
        ("Hyon Song Wol", "현송월"),
        ("Kim Yo Jong", "김여정"),
        ("Namgung Min", "남궁민"),
        ("Sunwoo Jae", "선우재"),
    ],
)
def test_aliases_from_the_lists_match(a: str, b: str) -> None:
    match = korean_similarity(a, b)
    assert match is not None
    assert match.score >= 0.98


@pytest.mark.parametrize(
    "other",
    ["Kim Jong Nam", "Kim Yo Jong", "Kim Jong Il", "Kim Il Sung", "KIM, Jong Sik", "김여정"],
)
def test_other_kims_are_not_kim_jong_un(other: str) -> None:
    for name in ("Kim Jong Un", "김정은", "Ким Чен Ын"):
        match = korean_similarity(name, other)
        assert match is not None
        assert match.score <= 0.5, (name, other, match)
        assert match.reason == "same family name, given name differs"


def test_different_family_name_scores_near_zero() -> None:
    assert korean_similarity("Pak Jong Un", "Kim Jong Un") == KoreanMatch(
        0.1, "different family name"
    )
    assert korean_similarity("KIL, Jong Hun", "Kim Jong Un") == KoreanMatch(
        0.05, "different family name"
    )
    assert korean_similarity("박정은", "김정은") == KoreanMatch(0.1, "different family name")


def test_hangul_against_hangul_compares_the_syllables() -> None:
    assert korean_similarity("김정은", "김 정은") == KoreanMatch(1.0, "same Hangul")
    assert korean_similarity("김종은", "김정은") == KoreanMatch(
        0.35, "same family name, given name differs"
    )
    assert korean_similarity("이재형", "이재명") == KoreanMatch(
        0.35, "same family name, given name differs"
    )
    # The North writes a leading ㄹ that the South drops or turns into ㄴ: one surname, 李.
    assert korean_similarity("리병철", "이병철") == KoreanMatch(
        0.98,
        "same Hangul in North and South Korean spelling",
    )
    assert korean_similarity("최룡해", "최용해") == KoreanMatch(
        0.98,
        "same Hangul in North and South Korean spelling",
    )
    # Romanised, 종 and 정 cannot be told apart: that is the price of MR without breves.
    assert korean_similarity("김종은", "Kim Jong Un") == KoreanMatch(1.0, "same syllables")


def test_names_that_cannot_be_korean_give_none() -> None:
    assert korean_similarity("Vladimir Putin", "Kim Jong Un") is None
    assert korean_similarity("Kim Jong Un", "Korea Mining Development Trading Corporation") is None
    assert korean_similarity("김정은", "Владимир Путин") is None
