#!/usr/bin/env bash
# Run the tests: install (with test tools), lint, then the whole suite on SQLite and again on a
# throwaway PostgreSQL server (Debian's package; installed first on CI machines if missing).
# Set SKIP_POSTGRES=1 to run only the SQLite pass. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"

if [ "${SKIP_POSTGRES:-}" = 1 ]; then
    echo "SKIP_POSTGRES=1: PostgreSQL pass skipped"
    exit 0
fi
pgdir=$(mktemp -d)
trap 'scripts/pg-test-server.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url=$(scripts/pg-test-server.sh start "$pgdir")
echo "== the same suite on PostgreSQL ($url)"
TEST_POSTGRES_URL="$url" .venv/bin/python -m pytest "$@"
