#!/usr/bin/env bash
# Create .venv and install the pinned dependencies; safe to run again (it only installs what changed).
# Usage: source scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

lock=requirements.lock
[ "${1:-}" = "dev" ] && lock=requirements-dev.lock
# Re-install only when the lock file changed since the last successful install.
stamp=".venv/.installed-$(sha256sum "$lock" requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    touch "$stamp"
fi

# PyThaiNLP must never try the network nor write to $HOME at run time.
export PYTHAINLP_OFFLINE=1 PYTHAINLP_READ_ONLY=1
