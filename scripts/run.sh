#!/usr/bin/env bash
# Run the site on the embedded default (SQLite, embedded search, in-process tasks) with demo
# data, at http://127.0.0.1:5000. Set DATABASE_URL, ELASTICSEARCH_URL, REDIS_URL for the real stack.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh requirements.txt

echo "==> Migrating the database"
.venv/bin/python manage.py db upgrade
.venv/bin/python manage.py seed --if-empty --photos --listings "${SEED_LISTINGS:-1500}"
echo "==> Serving on http://${HOST:-127.0.0.1}:${PORT:-5000}"
exec .venv/bin/python manage.py run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
