"""The fast near-duplicate join marks exactly what the former pairwise scan marked.

``_reference_mark_duplicates`` is a verbatim copy of the former ``archive.dedupe.marking.mark_duplicates`` (with its
own copy of the matching key), kept as the specification until the new implementation has settled.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.dedupe import keys
from archive.dedupe import marking as dedupe
from archive.model import Bulletin, Item, ParsedFile
from archive.normalize import match_key
from bench.corpus_gen import ITEMS_PER_BULLETIN, bulletin_date, generate

_PUNCT_OR_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)


def _reference_key(text: str) -> str:
    return _PUNCT_OR_SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def _reference_shingles(text: str) -> set[str]:
    key = _reference_key(text)
    if len(key) <= 4:
        return {key} if key else set()
    return {key[i : i + 4] for i in range(len(key) - 4 + 1)}


def _reference_similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def _reference_order(files: list[ParsedFile]) -> list[int]:
    return sorted(range(len(files)), key=lambda i: (files[i].bulletin.date or "9999", files[i].bulletin.source_file))


def _reference_mark_duplicates(files: list[ParsedFile], threshold: float = 0.8) -> list[ParsedFile]:
    postings: dict[str, list[int]] = defaultdict(list)
    seen: list[tuple[str, set[str], str]] = []
    result = list(files)
    for fi in _reference_order(files):
        items = []
        for item in files[fi].items:
            grams = _reference_shingles(item.text)
            first = _reference_first_match(grams, seen, postings, files[fi].bulletin.id, threshold)
            items.append(replace(item, duplicate_of=item.duplicate_of or first))
            for g in grams:
                postings[g].append(len(seen))
            seen.append((item.duplicate_of or first or item.id, grams, files[fi].bulletin.id))
        result[fi] = ParsedFile(files[fi].bulletin, tuple(items))
    return result


def _reference_first_match(grams: set[str], seen: list[tuple[str, set[str], str]], postings: dict[str, list[int]],
                           bulletin: str, threshold: float) -> str:
    counts = Counter(i for g in grams for i in postings.get(g, ()))
    need = threshold * len(grams)
    for i in sorted(i for i, c in counts.items() if c >= need):
        root, other, other_bulletin = seen[i]
        if other_bulletin != bulletin and _reference_similarity(grams, other) >= threshold:
            return root
    return ""


def _generated_files(n_items: int, seed: int) -> list[ParsedFile]:
    """Generated bulletins as parsed files, in a shuffled file order, with dates that are not in id order."""
    items = list(generate(n_items, seed))
    files = []
    for start in range(0, n_items, ITEMS_PER_BULLETIN):
        number = start // ITEMS_PER_BULLETIN
        bulletin_id = items[start].bulletin_id
        date = "" if number % 17 == 5 else bulletin_date(number * 700).isoformat()  # wraps, some undated
        files.append(ParsedFile(Bulletin(id=bulletin_id, title=bulletin_id, date=date,
                                         source_file=f"{bulletin_id}.jsonl"),
                                tuple(items[start : start + ITEMS_PER_BULLETIN])))
    random.Random(seed).shuffle(files)
    return files


def _marks(files: list[ParsedFile]) -> dict[str, str]:
    return {item.id: item.duplicate_of for f in files for item in f.items if item.duplicate_of}


def test_generated_corpus_identical_to_reference() -> None:
    files = _generated_files(1500, seed=11)
    expected = _reference_mark_duplicates(files)
    assert dedupe.mark_duplicates(files) == expected
    assert len(_marks(expected)) > 20  # the corpus does repeat stories


def test_generated_corpus_with_given_marks_and_shared_bulletin_ids() -> None:
    files = _generated_files(900, seed=5)
    # a second file of an existing bulletin (e.g. its PDF and its HTML) and a few marks given in the files
    twin = files[3]
    files.append(ParsedFile(replace(twin.bulletin, source_file="zz-twin.html"),
                            tuple(replace(it, id=it.id + "-html") for it in twin.items)))
    files[7] = ParsedFile(files[7].bulletin, tuple(replace(it, duplicate_of="given-" + it.id) if k % 3 == 0 else it
                                                   for k, it in enumerate(files[7].items)))
    assert dedupe.mark_duplicates(files) == _reference_mark_duplicates(files)


def test_thresholds_identical_to_reference() -> None:
    files = _generated_files(300, seed=2)
    for threshold in (0.0, -1.0, 0.3, 0.5, 0.75, 0.9, 1.0, 1.5, math.nan):
        assert dedupe.mark_duplicates(files, threshold) == _reference_mark_duplicates(files, threshold), threshold


def _item(bulletin: str, k: int, text: str, given: str) -> Item:
    return Item(id=f"{bulletin}-{k}", bulletin_id=bulletin, kind="news", title="", text=text, duplicate_of=given)


_PIECES = ["绿色发展", "一带一路", "合作", "会议", "2019年", "Green ", "green", "BELT", "ＡＢ", "，", "。", " ",
           "ﬁ", "①", "é", "e\u0301", "Σ", "x", "y", "abcd", "bcde", "123", "_", "\u3000", "…"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
_BASE_TEXTS = st.lists(_TEXT, min_size=1, max_size=6)


@st.composite
def _files(draw: st.DrawFn) -> list[ParsedFile]:
    """Small archives of files whose items copy and edit a few base texts (so near-duplicates abound)."""
    bases = draw(_BASE_TEXTS)
    files = []
    for f in range(draw(st.integers(0, 6))):
        bulletin = draw(st.sampled_from(["a", "b", "c", "d", "e", f"f{f}"]))
        date = draw(st.sampled_from(["", "2019-01-01", "2019-02-01", "2020-01-01"]))
        items = []
        for k in range(draw(st.integers(0, 5))):
            text = draw(st.sampled_from(bases)) + draw(st.sampled_from(["", "x", "会议", "Σ", " yy"]))
            if draw(st.booleans()):
                text = text[: draw(st.integers(0, len(text)))]
            given = draw(st.sampled_from(["", "", "", "orig"]))
            items.append(_item(f"{bulletin}{f}", k, text, given))
        files.append(ParsedFile(Bulletin(id=bulletin, title=bulletin, date=date, source_file=f"{f:02d}-{bulletin}"),
                                tuple(items)))
    return files


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files(), st.sampled_from([0.8, 0.8, 0.5, 0.34, 0.9, 1.0, 0.0]))
def test_random_archives_identical_to_reference(files: list[ParsedFile], threshold: float) -> None:
    assert dedupe.mark_duplicates(files, threshold) == _reference_mark_duplicates(files, threshold)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), _TEXT))
def test_match_key_unchanged(text: str) -> None:
    assert match_key(text) == _reference_key(text)
    assert keys.shingles(text) == _reference_shingles(text)


def test_required_overlap_is_safe_for_float_division() -> None:
    sizes = np.arange(1, 3000)
    need = keys.required_overlap(sizes, 0.8)
    for n, k in zip(sizes.tolist(), need.tolist(), strict=True):
        # any count passing the float rule for a set of size n (as the larger set) is at least k
        assert not any(c / n >= 0.8 for c in range(max(0, k - 3), k)), n


def test_empty_and_short_texts() -> None:
    files = [ParsedFile(Bulletin(id=b, title=b, date=d), tuple(_item(b, k, t, "") for k, t in enumerate(texts)))
             for b, d, texts in (("a", "2019-01-01", ["", "ab", "abcd", "。。", "Ａｂ"]),
                                 ("b", "2019-01-02", ["", "AB", "abcd", "abcde", "ab"]),
                                 ("c", "", []))]
    result = dedupe.mark_duplicates(files)
    assert result == _reference_mark_duplicates(files)
    assert [it.duplicate_of for it in result[1].items] == ["", "a-1", "a-2", "", "a-1"]
