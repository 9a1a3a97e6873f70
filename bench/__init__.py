"""Benchmarks (not timed tests): synthetic account maps and the import / analysis benchmark.

Run ``python -m bench.bench_import --help``; results and method are in ``docs/benchmarks.md``.
"""
