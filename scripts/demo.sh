#!/usr/bin/env bash
# Run the demo: bash scripts/demo.sh [args...]
# The caller's cwd is kept so relative path arguments still work.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
bash "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/pathway" demo "$@"
