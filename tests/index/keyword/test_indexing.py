"""Postings analysed on two cores score exactly as postings analysed in one process."""

from __future__ import annotations

import numpy as np

from bench import corpus_gen
from index.keyword.glossary import default_glossary
from index.keyword.indexing import in_two_halves, postings_of
from index.keyword.planner import plan_postings


def test_two_halves_score_as_one_part():
    items = list(corpus_gen.generate(300, 3))
    one, two = postings_of(items, parallel_from=10**9), in_two_halves(items)
    assert len(one.parts) == 1 and len(two.parts) == 2 and two.ids == one.ids
    glossary = default_glossary()
    for query in ("绿色发展", "green finance", "碳中和 海洋", '"绿色航运"', "一带一路 合作", "title:合作"):
        plan = plan_postings(query, glossary)
        (s1, m1), (s2, m2) = one.score_units(plan.units + plan.required), two.score_units(plan.units + plan.required)
        assert m1.any() and (m1 == m2).all() and np.allclose(s1, s2), query
