"""Fusion properties: output is a subset of the inputs, sorted, at most k long; weight 1/0 is identity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.search.fusion import convex, fuse, minmax, rrf

ids = st.sampled_from([f"i{n}" for n in range(12)])


@st.composite
def ranked_lists(draw: st.DrawFn) -> list[tuple[str, float]]:
    chosen = draw(st.lists(ids, unique=True, max_size=10))
    scores = sorted(draw(st.lists(st.floats(0, 100), min_size=len(chosen), max_size=len(chosen))), reverse=True)
    return list(zip(chosen, scores, strict=True))


@pytest.mark.parametrize("method", ["convex", "rrf"])
@given(a=ranked_lists(), b=ranked_lists(), k=st.integers(1, 15), w=st.floats(0.01, 0.99))
def test_fusion_output_is_sorted_subset_at_most_k(method: str, a, b, k: int, w: float) -> None:
    out = fuse(method, [a, b], [1 - w, w], k)
    assert len(out) <= k
    assert {i for i, _ in out} <= {i for i, _ in a} | {i for i, _ in b}
    assert [s for _, s in out] == sorted((s for _, s in out), reverse=True)
    assert len({i for i, _ in out}) == len(out)


@pytest.mark.parametrize("method", ["convex", "rrf"])
@given(a=ranked_lists(), b=ranked_lists(), k=st.integers(1, 15))
def test_weight_one_zero_equals_the_single_list(method: str, a, b, k: int) -> None:
    assert fuse(method, [a, b], [1.0, 0.0], k) == a[:k]
    assert fuse(method, [a, b], [0.0, 1.0], k) == b[:k]


def test_convex_combines_normalised_scores() -> None:
    a = [("x", 10.0), ("y", 5.0), ("z", 0.0)]
    b = [("y", 0.9), ("z", 0.5)]
    assert minmax(a) == {"x": 1.0, "y": 0.5, "z": 0.0}
    out = dict(convex([a, b], [0.5, 0.5], 3))
    assert out == pytest.approx({"x": 0.5, "y": 0.75, "z": 0.0})


def test_rrf_rewards_agreement() -> None:
    out = rrf([[("a", 1), ("b", 0.5)], [("b", 9), ("c", 8)]], [1, 1], 3)
    assert out[0][0] == "b"
    assert out[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_unknown_method_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown fusion method"):
        fuse("magic", [[("a", 1.0)], [("b", 1.0)]], [0.5, 0.5], 2)
