#!/usr/bin/env bash
# Run the tests: install (with test tools), lint, then the whole suite on SQLite and again on a
# throwaway PostgreSQL server (Debian's package; installed first on CI machines if missing).
# Set SKIP_POSTGRES=1 to run only the SQLite pass. Extra arguments go to pytest. The browser test runs in the
# SQLite pass only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh dev

# The browser test (tests/test_devchat_browser.py) drives Debian's Chromium, never a downloaded browser, and
# needs a Thai font to show Thai (and an emoji font for ✅). Install them on CI machines (root with apt-get);
# elsewhere the test skips with the reason, and on CI (CI=true) it fails if they are still missing.
browser_ready() { [ -x /usr/bin/chromium ] && [ -n "$(fc-list :lang=th family 2>/dev/null)" ]; }
if ! browser_ready && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium and Thai fonts for the browser test"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        chromium fonts-thai-tlwg fonts-noto-color-emoji >/dev/null; } \
        || echo "could not install chromium; the browser test will say so" >&2
fi

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
