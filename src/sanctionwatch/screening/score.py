"""Scoring a query against a listed party, with the reasons.

Names are compared token by token after transliteration (``names.py``): tokens are aligned
greedily by similarity (Levenshtein, with an edit budget that grows with length, so
"Scholze" meets "Scholz" but "Schulze" does not), on both the plain and the
transliteration-folded spelling. Identity words count; generic business words count a
little; numbers must agree. Korean personal names go through ``korean.py``, which knows the
romanisation systems and Hangul. Qualifiers (birth date, nationality, IMO number) then
raise or lower the name score, as nomenklatura's matchers do.

Written by hand because the general-purpose scorers measured here miss what DPRK screening
needs (Hangul, romanisation systems) and cost about 26 ms a pair (logic-v2).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product

from rapidfuzz.distance import OSA

from sanctionwatch.screening import hanja, korean
from sanctionwatch.screening.model import NameComparison
from sanctionwatch.screening.names import NameForm, analyse_name, fold_token, terms

# Weight of an unmatched token when only one side has unmatched tokens (an extra middle
# name, a patronymic): it lowers the score less than a conflict between two tokens.
EXTRA_TOKEN_WEIGHT = 0.5
FOLDED_MATCH = 0.95  # tokens equal only after transliteration folding
SPACING_MATCH = 0.98  # same letters, split differently ("Jong Un" / "Jongun")
NUMBER_CONFLICT_CAP = 0.5  # "KUM UN SAN 3" is not "KUM UN SAN 2"
NUMBER_MISSING = 0.75  # a number on one side only
GENERIC_WEIGHT = 0.1  # share of the score that generic business words decide
CONFLICT_PENALTY = 0.85  # per token of one name facing a different token of the other
BUSINESS_CONFLICT = 0.7  # both names say what the firm does, and they say different things
# Share of the letter-based score kept when the Korean reading disagrees: low enough that a
# one-letter-different syllable (Kim Tong Un / Kim Jong Un) stays below 0.7.
KOREAN_SPELLING_SHARE = 0.75
PINYIN_MATCH = 0.9  # a Mandarin reading that fits every syllable: strong, not certain
# A person's single name inside a longer one: an exact one scores about 0.68, below the
# default threshold, and a birth date or country that agrees lifts it back over.
SINGLE_NAME_SHARE = 0.75
HANGUL_UNREAD_CAP = 0.6  # Hangul against a romanised name that is no Korean reading


def allowed_edits(length: int) -> int:
    """How many edits a token of ``length`` characters may differ by and still match."""
    if length <= 2:
        return 0
    if length <= 8:
        return 1
    if length <= 13:
        return 2
    return 3


INITIAL_MATCH = 0.8  # "V." for "Vladimir"
ACRONYM_MATCH = 0.9  # "PLA" for "People's Liberation Army"


@lru_cache(maxsize=1 << 18)  # name tokens repeat across candidates (kim, jong, trading ...)
def token_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two tokens; 0 beyond the edit budget. A single letter meets
    any token it is the initial of."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_MATCH if a[0] == b[0] else 0.0
    longest = max(len(a), len(b))
    budget = allowed_edits(longest)
    if budget == 0:
        return 0.0
    # OSA: a swap of two neighbouring letters ("Natinal", "Defecne") is one slip, not two
    distance = OSA.distance(a, b, score_cutoff=budget)
    if distance > budget:
        return 0.0
    return 1.0 - distance / longest


@lru_cache(maxsize=1 << 18)
def pair_similarity(a: str, b: str) -> float:
    """Token similarity as written, or after transliteration folding if that is higher."""
    plain = token_similarity(a, b)
    if plain == 1.0 or len(a) == 1 or len(b) == 1:
        # an initial is compared as written: folded, the "Y." of "Prince Y." became an "i"
        # and met "Johnson" (folded "iohnson")
        return plain
    folded_a, folded_b = fold_token(a), fold_token(b)
    if len(folded_a) == 1 or len(folded_b) == 1:
        return plain  # folding made a word an initial ("Kh." -> "h"): it is not one
    if folded_a == folded_b:
        return max(plain, FOLDED_MATCH)
    return max(plain, token_similarity(folded_a, folded_b))


SHORT_TOKEN = 4  # letters; see short_slip


def short_slip(a: str, b: str) -> bool:
    """Two short tokens that differ by a letter swapped for another (Dang / Kang, Wang /
    Yang), not by a letter more or less (Pak / Park) nor by a transliteration fold (Aly / Ali):
    very often two different common names."""
    return (
        a != b and len(a) == len(b) <= SHORT_TOKEN and len(a) > 1 and fold_token(a) != fold_token(b)
    )


def align_tokens(
    q: NameForm, c: NameForm, extra_weight: float = EXTRA_TOKEN_WEIGHT
) -> tuple[float, dict[str, float]]:
    """Score the distinctive tokens of two names by greedy alignment (Dice-like, by letters).

    Returns the score and its features: the share of each side's letters matched.
    """
    if not q.tokens or not c.tokens:
        return 0.0, {}
    if q.folded == c.folded:
        return 1.0, {"query_matched": 1.0, "candidate_matched": 1.0}
    pairs = [
        (similarity, i, j)
        for i, a in enumerate(q.tokens)
        for j, b in enumerate(c.tokens)
        if (similarity := pair_similarity(a, b)) > 0.0
    ]
    pairs.sort(reverse=True)
    aligned: list[tuple[float, int, int]] = []
    short_slips = 0
    used_q: set[int] = set()
    used_c: set[int] = set()
    for similarity, i, j in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        aligned.append((similarity, i, j))
    if len(used_q) < len(q.tokens) or len(used_c) < len(c.tokens):
        # A short name a letter off (Dang / Kang, Paul / Raul, Nam / Pang) is a typing slip
        # when the rest of the two names lines up (Tim Cook / Tom Cook); beside a name that
        # one side does not have at all, it is more likely another person's name.
        slips = [(i, j) for _, i, j in aligned if short_slip(q.tokens[i], c.tokens[j])]
        if slips:
            short_slips = len(slips)
            aligned = [m for m in aligned if (m[1], m[2]) not in slips]
            used_q.difference_update(i for i, _ in slips)
            used_c.difference_update(j for _, j in slips)
    matched_q = sum(similarity * len(q.tokens[i]) for similarity, i, _ in aligned)
    matched_c = sum(similarity * len(c.tokens[j]) for similarity, _, j in aligned)
    rest_q = sum(len(t) for i, t in enumerate(q.tokens) if i not in used_q)
    rest_c = sum(len(t) for j, t in enumerate(c.tokens) if j not in used_c)
    # Unmatched tokens on both sides conflict (Octavian vs Olaf); on one side only they are
    # probably a name the other side left out.
    weight = 1.0 if rest_q and rest_c else extra_weight
    total_q = sum(len(t) for t in q.tokens) - rest_q + weight * rest_q
    total_c = sum(len(t) for t in c.tokens) - rest_c + weight * rest_c
    share_q = matched_q / total_q if total_q else 0.0
    share_c = matched_c / total_c if total_c else 0.0
    if share_q + share_c == 0:
        return 0.0, {"query_matched": 0.0, "candidate_matched": 0.0}
    score = 2 * share_q * share_c / (share_q + share_c)
    # Each token of one name facing a different token of the other (AL-RAWI / AL-TIKRITI,
    # an initial G against W) is evidence of two different parties, not a spelling slip.
    conflicts = min(len(q.tokens) - len(used_q), len(c.tokens) - len(used_c))
    score *= CONFLICT_PENALTY**conflicts
    features = {"query_matched": share_q, "candidate_matched": share_c}
    if conflicts:
        features["conflicting_tokens"] = float(conflicts)
    if short_slips:
        features["short_slips"] = float(short_slips)
    return score, features


_SYLLABIC_SCRIPTS = frozenset({"Hangul", "CJK"})


def _syllable_overlap(q: NameForm, c: NameForm) -> float:
    """Share of characters in common, position by position, of two names in Hangul or CJK,
    scaled so that one differing character in a three-character name scores 0.4."""
    left, right = "".join(q.script_tokens), "".join(c.script_tokens)
    if not left or not right:
        return 0.0
    same = sum(1 for a, b in zip(left, right, strict=False) if a == b)
    return 0.6 * same / max(len(left), len(right))


READING_SHARE = 0.6  # as _syllable_overlap: one syllable of three differing scores 0.4


def _reading_cap(q: NameForm, c: NameForm) -> float | None:
    """The most a name in Chinese characters and a romanised one may score when their
    syllables are not the same (None when the rule does not apply).

    Read in Mandarin, each character is one syllable, and a syllable a letter away ("yang" /
    "wang", "hong" / "dong") is another character; one left over ("Chen Bizhu" / "Chen Zhu")
    is a name the other does not have. The letter-based alignment forgives both, and with
    names of two or three short, very common syllables that alone made matches. So every
    syllable on both sides must be matched by the same syllable, in any order of the name's
    words; otherwise the score is the share of syllables in common, scaled down."""
    if {q.script, c.script} != {"CJK", "Latin"}:
        return None
    cjk, latin = (q, c) if q.script == "CJK" else (c, q)
    if not cjk.tokens or not latin.tokens or not _han_only(cjk.original):
        return None  # kana are read by sound ("バラク・オバマ"), not a syllable a character
    left = Counter(cjk.tokens)
    best = 0.0
    for syllables in _latin_syllables(latin.tokens):
        right = Counter(syllables)
        if left == right:
            return None  # the same reading: the letters' score stands
        common = sum((left & right).values())
        best = max(best, 2 * common / (sum(left.values()) + sum(right.values())))
    return READING_SHARE * best


def _hangul_only(text: str) -> bool:
    """Whether every letter of ``text`` is Hangul (not "Kim Jong Un (김정은)")."""
    return all(unicodedata.name(char, "").startswith("HANGUL") for char in text if char.isalpha())


def _han_only(text: str) -> bool:
    """Whether every letter of ``text`` is a Chinese character (no kana, no Latin)."""
    return all(unicodedata.name(char, "").startswith("CJK") for char in text if char.isalpha())


@lru_cache(maxsize=1 << 14)
def _latin_syllables(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Ways (a few) to read romanised name words as pinyin syllables ("jicheng" -> ji cheng);
    a word that is no pinyin stays whole."""
    per_word = [hanja.pinyin_syllables(token) or ((token,),) for token in tokens]
    return [
        tuple(s for word in combination for s in word)
        for combination in islice(product(*per_word), hanja.MAX_READINGS)
    ]


def _compact_score(q: NameForm, c: NameForm) -> float:
    """The letters alike, spaced or ordered differently ("Kim Jongun" / "Jong Un Kim",
    "FridrichBuchenberg" / "Friedrich Buchenberg")."""
    query = "".join(q.folded)
    if len(query) < 5 or len(q.folded) == len(c.folded):
        return 0.0
    length = sum(len(token) for token in c.folded)
    if abs(length - len(query)) > allowed_edits(max(length, len(query))):
        return 0.0  # no rotation can come within the edit budget
    best = 0.0
    for shift in range(len(c.folded)):
        rotated = "".join(c.folded[shift:] + c.folded[:shift])
        best = max(best, token_similarity(query, rotated))
    return best * SPACING_MATCH


_NOT_INITIALS = frozenset({"of", "the", "and", "for"})


def _acronym_score(q: NameForm, c: NameForm) -> float:
    """One side is the other's initials ("PLA" / "People's Liberation Army")."""
    for short, long in ((q, c), (c, q)):
        if len(short.tokens) == 1 and len(short.tokens[0]) >= 2:
            # single letters are a possessive's "s" ("People's") or initials already
            words = [w for w in long.ascii.split() if len(w) > 1 and w not in _NOT_INITIALS]
            if len(words) >= 2 and "".join(w[0] for w in words) == short.tokens[0]:
                return ACRONYM_MATCH
    return 0.0


@dataclass
class FormComparison:
    """The score of two analysed names, the method that decided it, its features, and the
    rules that lowered it (rule -> how much it took off, negative), so that a candidate a
    rule pushed below the threshold can say which rule did."""

    score: float
    method: str
    features: dict[str, float] = field(default_factory=dict)
    rules: dict[str, float] = field(default_factory=dict)

    def replace(self, score: float, method: str) -> None:
        """Another method decides: what lowered the previous one no longer applies."""
        self.score, self.method = score, method
        self.rules.clear()

    def lower(self, rule: str, score: float) -> None:
        """``rule`` sets the score to ``score`` (lower): recorded with what it took off."""
        self.rules[rule] = self.rules.get(rule, 0.0) + score - self.score
        self.score = score


def compare_forms(q: NameForm, c: NameForm, schema: str | None) -> FormComparison:
    """Score two analysed names, with the method, features and lowering rules."""
    if q.is_empty or c.is_empty:
        return FormComparison(0.0, "empty")
    if q.ascii == c.ascii and q.original.casefold() == c.original.casefold():
        found = FormComparison(1.0, "exact")
    else:
        found = _compare_names(q, c, schema)
    features = found.features
    if (
        schema == "Person"
        and found.method == "tokens"
        and min(len(q.tokens), len(c.tokens)) == 1
        and max(len(q.tokens), len(c.tokens)) > 1
    ):
        # One name ("Zulkarnain", listed as a single-name alias) met inside a longer one
        # ("Kani Zulkarnain"): one shared word, which many people carry, is not a match alone.
        features["single_name"] = 1.0
        found.lower("single_name", found.score * SINGLE_NAME_SHARE)
    if q.generic or c.generic:
        generic = _jaccard(q.generic, c.generic)
        features["generic_words"] = generic
        found.score = (1 - GENERIC_WEIGHT) * found.score + GENERIC_WEIGHT * generic
        business_q, business_c = _business_words(q), _business_words(c)
        if business_q and business_c and not business_q & business_c:
            # "Korea Trading Co" and "Korea Shipping Co": what the firm does differs.
            features["business_words_differ"] = 1.0
            found.lower("business_words_differ", found.score * BUSINESS_CONFLICT)
    if q.numbers != c.numbers:
        features["numbers_agree"] = 0.0
        if q.numbers and c.numbers:
            found.lower("numbers_differ", min(found.score, NUMBER_CONFLICT_CAP))
        else:  # "KUM UN SAN 3" / "KUM UN SAN": OFAC lists both, with different IMOs
            found.lower("number_missing", found.score * NUMBER_MISSING)
    return found


def _compare_names(q: NameForm, c: NameForm, schema: str | None) -> FormComparison:
    """The name comparison proper: letters, scripts, spacing, acronyms, readings, Korean."""
    # An organisation's extra distinctive word usually names another one ("Banco
    # Santander" / "Banco Santander Mexico"); a person's is often a middle name.
    extra = EXTRA_TOKEN_WEIGHT if schema in (None, "Person") else 1.0
    score, features = align_tokens(q, c, extra)
    found = FormComparison(score, "tokens", features)
    if conflicts := features.get("conflicting_tokens"):
        found.rules["conflicting_tokens"] = score - score / CONFLICT_PENALTY**conflicts
    if q.script == c.script and q.script in _SYLLABIC_SCRIPTS:
        # Hangul syllables and Chinese characters each carry a name part: one that
        # differs (김종은 / 김정은, 习近朋 / 习近平) is another person. Compare them as written.
        same = q.script_tokens == c.script_tokens or sorted(q.script_tokens) == sorted(
            c.script_tokens
        )
        found.replace(min(found.score, 1.0 if same else _syllable_overlap(q, c)), "script")
    compact = _compact_score(q, c)
    if compact > found.score:
        found.replace(compact, "spacing")
    if schema != "Person" and (acronym := _acronym_score(q, c)) > found.score:
        found.replace(acronym, "acronym")
    reading = _reading_cap(q, c) if schema in (None, "Person") else None
    if reading is not None and reading < found.score:
        features["reading_syllables"] = reading / READING_SHARE
        found.lower("reading", reading)
        found.method = "reading"
    if schema in (None, "Person", "LegalEntity"):
        korean_found = _korean_match(q, c)
        korean_disagrees = korean_found is not None and korean_found.score < 0.5
        if (korean_found is None or korean_disagrees) and _pinyin_match(q, c, korean_disagrees):
            features["pinyin"] = PINYIN_MATCH
            found.replace(PINYIN_MATCH, "pinyin")
            korean_found = None
        if (
            korean_found is None
            and found.method != "pinyin"
            and {q.script, c.script} == {"Hangul", "Latin"}
            and _hangul_only((q if q.script == "Hangul" else c).original)
            and found.score > HANGUL_UNREAD_CAP
        ):
            # Hangul against letters korean.py cannot read as a Korean name ("YUAN, Yun
            # Xia"): its romanised letters alone are too weak to call them one name.
            features["hangul_unread"] = 1.0
            found.lower("hangul_unread", HANGUL_UNREAD_CAP)
            found.method = "reading"
        if korean_found is not None:
            features["korean"] = korean_found.score
            # A Korean reading that agrees decides. One that disagrees (a given-name
            # syllable differs) mostly means another person (Kim Jong Nam), but the lists'
            # own aliases are sometimes spelled a vowel apart (Kim Son-gwang / Kim
            # Su-Kwang): for people the letters still count, discounted; for a LegalEntity
            # (a firm as often as a person) the Korean reading can only raise the score.
            if korean_found.score >= found.score:
                found.replace(korean_found.score, "korean")
            elif schema == "Person":
                discounted = found.score * KOREAN_SPELLING_SHARE
                if korean_found.score >= discounted:
                    found.replace(korean_found.score, "korean")
                else:
                    found.lower("korean_reading_differs", discounted)
                    found.method = "korean"
    return found


def _korean_spellings(form: NameForm) -> tuple[str, ...]:
    """A name as korean.py can read it: as written, or, in Chinese characters, its Hangul
    readings (金正恩 -> 김정은)."""
    if form.script == "CJK":
        return hanja.hangul_readings(form.original) or (form.original,)
    return (form.original,)


def _korean_match(q: NameForm, c: NameForm) -> korean.KoreanMatch | None:
    best: korean.KoreanMatch | None = None
    for left in _korean_spellings(q):
        for right in _korean_spellings(c):
            found = korean.korean_similarity(left, right)
            if found is not None and (best is None or found.score > best.score):
                best = found
    return best


def _pinyin_match(q: NameForm, c: NameForm, readable: bool = False) -> bool:
    """One name is the Mandarin reading of the other, a Korean name ("Cui Longhai" for Choe
    Ryong Hae). Tried for a Latin name that cannot be read as Korean itself, or (``readable``)
    one that can but whose Korean reading disagrees ("Jin Yongnan" reads as Korean too)."""
    for pinyin, other in ((q, c), (c, q)):
        if (
            pinyin.pinyin_readable
            and other.korean_readable
            and (readable or not pinyin.korean_readable)
            and hanja.pinyin_reads_as(pinyin.original, other.original)
        ):
            return True
    return False


def _business_words(form: NameForm) -> set[str]:
    legal = terms().legal_forms
    return {word[:4] for word in form.generic if word not in legal and len(word) > 3}


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    # by their first four letters: industry / industries / industrial, trade / trading
    left, right = {w[:4] for w in a}, {w[:4] for w in b}
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def compare_name(
    query_name: str, candidate_name: str, schema: str | None, matched_property: str = "name"
) -> NameComparison:
    """Compare two names as given (any script) for a party of ``schema``."""
    q = analyse_name(query_name, schema)
    c = analyse_name(candidate_name, schema)
    found = compare_forms(q, c, schema)
    return NameComparison(
        query_name,
        candidate_name,
        matched_property,
        found.method,
        found.score,
        found.features,
        found.rules,
    )


def normalise_imo(value: str | None) -> str | None:
    """Seven digits of an IMO number written "IMO 9179842", "IMO9179842" or "9179842"."""
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits if len(digits) == 7 else None


IMO_MATCH = 1.0  # the same IMO number is the same ship (or company), whatever its name now
IMO_CONFLICT_CAP = 0.3  # a different IMO number is a different ship, however alike the names
VESSEL_NAME_ONLY = 0.85  # several ships share a name: a name alone is weak evidence


def vessel_adjustment(
    name_score: float, query_imo: str | None, candidate_imo: str | None
) -> tuple[float, str]:
    """Apply the IMO rules to a vessel's name score; returns the score and what decided it."""
    q, c = normalise_imo(query_imo), normalise_imo(candidate_imo)
    if q and c:
        if q == c:
            return IMO_MATCH, "imo_match"
        return min(name_score, IMO_CONFLICT_CAP), "imo_conflict"
    return name_score * VESSEL_NAME_ONLY, "name_only"


def compare_names(
    schema: str,
    query_name: str,
    candidate_name: str,
    query_imo: str | None = None,
    candidate_imo: str | None = None,
) -> float:
    """The score in [0, 1] of two names of ``schema`` (the evaluation's pairwise entry point)."""
    score = compare_name(query_name, candidate_name, schema).score
    if schema == "Vessel":
        score, _ = vessel_adjustment(score, query_imo, candidate_imo)
    return score
