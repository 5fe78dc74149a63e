"""Benchmarks and evaluation scripts (quality on judged queries, baselines); not part of the installed package."""
