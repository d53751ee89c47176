"""Our scoring, described in yente's vocabulary: ``features`` (name -> score), per-result
``explanations`` (score and detail) and the ``matcher`` documentation of each feature.

``name`` is the best name comparison and carries the score; the name's own features
(``query_matched``, ``korean``, ...) say how it was reached and add nothing (coefficient 0);
qualifiers (``birth_date``, ``country``, vessel IMO rules) adjust the name score by the amount
shown (coefficient 1: added).
"""

from __future__ import annotations

from sanctionwatch.screening.model import Explanation
from sanctionwatch.web.schemas import FeatureDoc, FeatureResult

ALGORITHM = "sanctionwatch-v1"
_SOURCE = "src/sanctionwatch/screening/"

# feature -> (description, coefficient, source file)
_DOCS: dict[str, tuple[str, float, str]] = {
    "name": (
        "Best score of any query name against any listed name or alias (0-1): transliterated, "
        "tokens aligned with spelling folds, Korean romanisations and scripts compared, "
        "weak or previous names discounted.",
        1.0,
        "engine.py",
    ),
    "query_matched": (
        "Share of the query name's letters matched in the listed name.",
        0.0,
        "score.py",
    ),
    "candidate_matched": (
        "Share of the listed name's letters matched by the query.",
        0.0,
        "score.py",
    ),
    "conflicting_tokens": (
        "Name parts facing a different part on the other side (each lowers the name score).",
        0.0,
        "score.py",
    ),
    "korean": (
        "Similarity of the names as Korean names across romanisations and Hangul.",
        0.0,
        "korean.py",
    ),
    "pinyin": (
        "The name is the Mandarin reading of a Korean name (Cui Longhai / Choe Ryong Hae).",
        0.0,
        "hanja.py",
    ),
    "reading_syllables": (
        "Chinese characters against a romanised name: share of syllables in common when they "
        "are not all the same (the name score is then 0.6 times this).",
        0.0,
        "score.py",
    ),
    "hangul_unread": (
        "Hangul against a romanised name that is no Korean reading of it: name score capped "
        "at 0.6.",
        0.0,
        "score.py",
    ),
    "single_name": (
        "A person's single name met inside a longer one (one shared word): name score x0.75.",
        0.0,
        "score.py",
    ),
    "short_slips": (
        "Short names a letter apart (Dang / Kang) not counted as matched, because the rest "
        "of the names does not line up.",
        0.0,
        "score.py",
    ),
    "generic_words": ("Overlap of generic and legal-form words (organisations).", 0.0, "score.py"),
    "business_words_differ": ("The organisations' business words differ.", 0.0, "score.py"),
    "numbers_agree": (
        "0 when the names carry different numbers (vessels, companies).",
        0.0,
        "score.py",
    ),
    "imo_match": ("Vessel: the IMO numbers agree; the score is set to 1.", 1.0, "score.py"),
    "imo_conflict": ("Vessel: the IMO numbers differ; the score is capped.", 1.0, "score.py"),
    "name_only": (
        "Vessel: no IMO number on one side; the name score is discounted.",
        1.0,
        "score.py",
    ),
    "birth_date": (
        "Birth dates agree (raises) or differ (lowers; a different year most).",
        1.0,
        "engine.py",
    ),
    "country": ("Nationality or country agrees (raises) or differs (lowers).", 1.0, "engine.py"),
    "weak_alias_alone": (
        "Met only through a weak alias, with no birth date, country or IMO number agreeing: "
        "the score is lowered by this amount.",
        1.0,
        "engine.py",
    ),
    "single_name_corroborated": (
        "A single name met inside a longer one, with a birth date, country or IMO number "
        "agreeing: what the single-name rule took off is given back.",
        1.0,
        "engine.py",
    ),
    "person_vs_organisation": (
        "A person against an organisation (or a company name against a person): the score is "
        "lowered by this amount.",
        1.0,
        "engine.py",
    ),
}


def matcher_docs() -> dict[str, FeatureDoc]:
    return {
        name: FeatureDoc(description=text, coefficient=weight, url=_SOURCE + source)
        for name, (text, weight, source) in _DOCS.items()
    }


def features(explanation: Explanation) -> dict[str, float]:
    """Feature name -> score: the name score, its features, then each qualifier."""
    found = {"name": round(explanation.name.score, 4)}
    found.update({k: round(v, 4) for k, v in explanation.name.features.items()})
    found.update({k: round(v, 4) for k, v in explanation.qualifiers.items()})
    return found


def explanations(explanation: Explanation) -> dict[str, FeatureResult]:
    """yente's per-feature explanations: the name comparison and each qualifier, in words."""
    name = explanation.name
    found = {
        "name": FeatureResult(
            score=round(name.score, 4),
            detail=(
                f"{name.query_name!r} ~ {name.matched_name!r} "
                f"({name.matched_property}, by {name.method})"
            ),
        )
    }
    for qualifier, adjustment in explanation.qualifiers.items():
        found[qualifier] = FeatureResult(
            score=round(adjustment, 4), detail=f"{qualifier}: {adjustment:+.2f} to the name score"
        )
    return found
