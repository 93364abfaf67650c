#!/usr/bin/env bash
# Run the bot: install, migrate the database, load the plan catalogue, serve.
# With LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN set it serves the real webhook;
# without them it runs in development mode with a local fake LINE platform.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
.venv/bin/python -m bot db upgrade
.venv/bin/python -m bot catalogue load
exec .venv/bin/python -m bot serve "$@"
