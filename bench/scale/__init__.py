"""The whole stack at a million listings, measured side by side in one run: `python -m
bench.scale --help`. Results: docs/BENCHMARKS.md, "A million listings"."""
