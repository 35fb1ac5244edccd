"""Benchmarks of the peloton-prep build: stages, synthetic projects, serve timing and the report.

`benchmarks/run.py` drives them; every stage runs in a child process (`peloton_bench.worker`), so
one stage's peak memory never includes another's.
"""
