# Sourced by run.sh and test.sh: a virtualenv in .venv with the pinned requirements.
# Re-installs only when the requirement files change.
set -euo pipefail

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Classifieds needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating a virtualenv in .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements-$(cat "$@" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages ($*)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  for file in "$@"; do .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$file"; done
  rm -f .venv/.requirements-* && touch "$stamp"
fi
