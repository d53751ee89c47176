"""A name in Chinese characters against a romanised listed name (issue 11): the reading must
account for every syllable on both sides, each the same syllable, not one a letter away. The
false alerts below are from the negative benchmark (Faker zh_CN, zh_TW, ja_JP names)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.config import Settings
from sanctionwatch.screening.engine import Screener
from sanctionwatch.screening.model import Query
from sanctionwatch.screening.score import compare_name
from sanctionwatch.screening.service import open_screener


@pytest.fixture(scope="module")
def screener(screening_home: Path) -> Iterator[Screener]:
    yield open_screener(Settings(home=screening_home))


def _alert_captions(screener: Screener, name: str) -> set[str]:
    return {m.party.caption for m in screener.screen(Query(name, schema="Person"))}


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("陈阳", "WANG, Chen"),  # chen yang: yang is not wang
        ("高东", "ZHENG, Fujing"),
        ("郭阳", "WANG, Guoying"),
        ("坂本 晃", "HUANG, Wang Ken"),
        ("陳碧珠", "CHEN, Zhu"),  # two syllables of three
        ("美珠 陳", "CHEN, Zhu"),
        ("陳建宏", "CHEN, Dong"),  # hong is not dong
        ("宋秀琴", "SONG, Xueqin"),  # xiu qin is not xue qin, however it is spaced
        ("石井 和也", "HE, Jing"),  # a Japanese name read as Mandarin: he jing of shi jing he ye
        ("田中 健一", "ZHANG, Jian"),
    ],
)
def test_a_partial_or_near_reading_does_not_alert(
    screener: Screener, name: str, caption: str
) -> None:
    assert caption not in _alert_captions(screener, name)


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("张继成", "ZHANG, Jicheng"),  # zhang ji cheng: every syllable, spaced differently
        ("宋雪琴", "SONG, Xueqin"),
        ("陈柱", "CHEN, Zhu"),
        ("柱 陈", "CHEN, Zhu"),  # family name last
    ],
)
def test_a_full_reading_still_alerts(screener: Screener, name: str, caption: str) -> None:
    assert caption in _alert_captions(screener, name)


@pytest.mark.parametrize("name", ["金正恩", "Ким Чен Ын", "Kim Jong Un"])
def test_kim_jong_un_is_still_found(screener: Screener, name: str) -> None:
    ids = {(m.party.list_name, m.party.record_id) for m in screener.screen(Query(name))}
    assert ("ofac_sdn", "20157") in ids


def test_a_near_reading_scores_low_and_says_why() -> None:
    found = compare_name("陈阳", "WANG, Chen", "Person")
    assert found.method == "reading"
    assert found.score < 0.5
    assert found.features["reading_syllables"] == 0.5  # chen of chen yang / wang chen


def test_kana_are_not_read_as_syllables() -> None:
    assert compare_name("バラク・オバマ", "Barack Obama", "Person").score >= 0.9
