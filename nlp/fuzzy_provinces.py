"""Misspelt province names (เชียงไหม่, จ.ระยอน): the closest name when one is clearly closest, else candidates.

Fuzzy matching needs a clear lead: ระยอง and ระนอง are one letter apart. Without จ./จังหวัด in front only long
names with one typo are accepted (ตลาด must not become ตราด).

>>> fuzzy_province("เชียงไหม่", prefixed=False).name
'เชียงใหม่'
>>> fuzzy_province("ระยอน", prefixed=True).candidates
('ระยอง', 'ระนอง')
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.provinces import ORDINARY, thai_forms
from nlp.vocabulary import derived, vocabulary


@dataclass(frozen=True)
class FuzzyResult:
    """The outcome of matching a misspelt word: a name, or candidates when two are equally close."""

    name: str | None
    candidates: tuple[str, ...] = ()


_NO_MATCH = FuzzyResult(None)


_NO_MATCH = FuzzyResult(None)


@dataclass(frozen=True)
class _Index:
    fuzzy_forms: tuple[tuple[str, str], ...]  # (form, name), forms of 4+ letters
    form_pairs: tuple[frozenset[str], ...]  # the letter pairs of each fuzzy form
    # letter pair → indexes into fuzzy_forms filed under it (see _pair_index); after จ. and without it
    # (without: only forms of 6+ letters that are not ordinary words)
    bigrams: dict[str, tuple[int, ...]]
    free_bigrams: dict[str, tuple[int, ...]]
    names: tuple[str, ...]
    # per fuzzy form, after จ. and without it: (form, name, edits allowed, letter pairs a candidate must share)
    prefixed_limits: tuple[tuple[str, str, int, int], ...]
    free_limits: tuple[tuple[str, str, int, int], ...]


def _pair_index(form_pairs: tuple[frozenset[str], ...], limits: tuple[tuple[str, str, int, int], ...],
                eligible: list[int]) -> dict[str, tuple[int, ...]]:
    """Letter pair → the forms to compare when a word has that pair.

    A form is a candidate only when the word shares at least `need` of its B letter pairs (and at least one), so
    the word misses at most B - need of them: filing the form under any B - need + 1 of its pairs (the rarest)
    still finds every candidate, while a common pair (รา, าช) no longer drags in dozens of names. The caller
    counts the shared pairs exactly before comparing letters.
    """
    frequency: dict[str, int] = {}
    for i in eligible:
        for pair in form_pairs[i]:
            frequency[pair] = frequency.get(pair, 0) + 1
    index: dict[str, set[int]] = {}
    for i in eligible:
        pairs = form_pairs[i]
        need = max(limits[i][3], 1)
        if len(pairs) < need:
            continue  # no word can share enough pairs with it
        for pair in sorted(pairs, key=lambda p: (frequency[p], p))[:len(pairs) - need + 1]:
            index.setdefault(pair, set()).add(i)
    return {pair: tuple(sorted(found)) for pair, found in index.items()}


@derived
def _index() -> _Index:
    fuzzy_forms = tuple((f, name) for f, (name, _, _) in thai_forms().items()
                        if name and len(f) >= 4 and not f.endswith("ฯ"))
    form_pairs = tuple(frozenset(form[k:k + 2] for k in range(len(form) - 1)) for form, _ in fuzzy_forms)
    prefixed_limits = tuple(
        (f, n, _allowance(len(f), True), len(f) - 1 - 2 * (_allowance(len(f), True) + 1)) for f, n in fuzzy_forms)
    free_limits = tuple(
        (f, n, _allowance(len(f), False), len(f) - 1 - 2 * _allowance(len(f), False)) for f, n in fuzzy_forms)
    free = [i for i, (form, _) in enumerate(fuzzy_forms) if len(form) >= 6 and form not in ORDINARY]
    return _Index(
        fuzzy_forms=fuzzy_forms,
        form_pairs=form_pairs,
        bigrams=_pair_index(form_pairs, prefixed_limits, list(range(len(fuzzy_forms)))),
        free_bigrams=_pair_index(form_pairs, free_limits, free),
        names=tuple(p.name_th for p in vocabulary().provinces),
        prefixed_limits=prefixed_limits,
        free_limits=free_limits,
    )


def _allowance(length: int, prefixed: bool) -> int:
    if not prefixed:
        return 1 if length <= 10 else 2
    return 1 if length <= 6 else (2 if length <= 11 else 3)


def fuzzy_province(word: str, prefixed: bool) -> FuzzyResult:
    """The province a misspelt word most likely names; candidates instead when two are about equally close.

    Without จ./จังหวัด in front only long names with one typo are accepted (ตลาด must not become ตราด).
    """
    index = _index()
    if len(word) < 3:
        return FuzzyResult(None)
    # Letter pairs shared with the word: a name one or two edits away shares most of its pairs,
    # so only those few names are compared letter by letter.
    bigrams = index.bigrams if prefixed else index.free_bigrams
    pairs = {word[k:k + 2] for k in range(len(word) - 1)}
    candidates: set[int] = set()
    for pair in pairs:
        found = bigrams.get(pair)
        if found:
            candidates.update(found)
    if not candidates:
        return _NO_MATCH
    limits = index.prefixed_limits if prefixed else index.free_limits
    form_pairs = index.form_pairs
    # one edit changes at most two letter pairs (prefixed: one more edit, to see near twins)
    close = [i for i in candidates if len(pairs & form_pairs[i]) >= limits[i][3]]
    if not close:
        return _NO_MATCH
    from rapidfuzz.distance import Levenshtein

    best: dict[str, tuple[int, int]] = {}
    size = len(word)
    for i in close:
        form, name, limit, _ = limits[i]
        distance = limit + 2
        for length in {len(form) - 1, len(form), len(form) + 1}:
            if length <= 0 or length > size:
                continue
            # the word may carry other letters before or after the name: ที่เชียงไหม่ / เชียงไหม่ครับ
            pieces = {word[:length]} if prefixed else {word[:length], word[-length:]}
            for piece in pieces:
                if piece[0] != form[0] and piece[1:2] != form[1:2]:
                    continue  # typos rarely hit both of the first two letters
                distance = min(distance, Levenshtein.distance(form, piece, score_cutoff=limit + 1))
        if distance <= limit + 1 and (distance, i) < best.get(name, (99, 0)):
            best[name] = (distance, i)
    # closest first; ties in catalogue order, so the answer never depends on hash order
    ranked = [(n, d) for n, (d, _) in sorted(best.items(), key=lambda item: item[1])]
    accepted = [(n, d) for n, d in ranked if d <= _allowance(len(n), prefixed)]
    if not accepted:
        return _NO_MATCH
    name, distance = accepted[0]
    # A rival within reach makes the word ambiguous; for short names one letter is all that tells them apart.
    twins = prefixed and len(name) <= 6
    rivals = [n for n, d in ranked[1:] if (d == distance and d <= _allowance(len(n), prefixed))
              or (twins and d <= min(distance + 1, 2) and len(n) <= 6)]
    if rivals:
        return FuzzyResult(None, (name, *rivals[:2]))
    return FuzzyResult(name)


def close_names(word: str, limit: int = 3) -> tuple[str, ...]:
    """Up to `limit` province names that look most like `word` (for an 'unknown province' question)."""
    from rapidfuzz import fuzz, process

    names = _index().names
    found = process.extract(word, names, scorer=fuzz.ratio, limit=limit, score_cutoff=40)
    return tuple(name for name, _, _ in found)
