#!/usr/bin/env bash
# Time `manage.py seed` (results: docs/BENCHMARKS.md, "Seeding").
#
#   bench/seed.sh [LISTINGS]        default 100000
#
# Uses the database the app would use: DATABASE_URL, or the SQLite file in instance/ when it
# is unset. Seeding adds to what is there, so start from an empty, migrated database for
# numbers comparable with the recorded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
listings="${1:-100000}"
python manage.py db upgrade
time python manage.py seed --listings "$listings" --seed 1
