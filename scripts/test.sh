#!/usr/bin/env bash
# Run the test suite from the repo root: bash scripts/test.sh [pytest args...]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
exec .venv/bin/python -m pytest "$@"
