#!/usr/bin/env bash
# Time `manage.py seed` into a fresh scratch database (results: docs/BENCHMARKS.md, "Seeding").
#
#   DATABASE_URL=postgresql://classifieds:classifieds@127.0.0.1:55432/classifieds_bench_seed \
#     bench/seed.sh --listings 1000000 --runs 3 [--workers N]
#
# The database named by DATABASE_URL is dropped and created again before each run and dropped
# at the end, so its name must start with classifieds_bench (or it is a SQLite file, deleted).
# See bench/seed.py for what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/seed.py "$@"
