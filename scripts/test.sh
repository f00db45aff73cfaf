#!/usr/bin/env bash
# The whole test suite on the real stack: installs and starts PostgreSQL, Redis and
# Elasticsearch on loopback (manage.py services up), Chromium for the browser tests, then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing Chromium (Debian package) for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "==> Lint (ruff)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py services up
exec .venv/bin/python -m pytest "$@"
