"""open ESIS benchmarks (`make bench`): figures with ratios to bare baselines measured in the same run.

Never part of `make test`; the synthetic-data generator (``bench.synthetic``) has fast unit tests in bench/tests.
"""
