#!/usr/bin/env bash
# Create .venv (Python >= 3.11) and install the project in editable mode with
# its dev extras. Idempotent: pip only runs when pyproject.toml has changed
# since the last successful install. Quiet on success.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
VENV="$ROOT/.venv"
STAMP="$VENV/.pyproject.sha256"
export PIP_DISABLE_PIP_VERSION_CHECK=1

die() { echo "bootstrap: $*" >&2; exit 1; }

[[ -f "$ROOT/pyproject.toml" ]] || die "no pyproject.toml in $ROOT"

# Serialise concurrent runs (e.g. two test.sh at once) so two pip installs
# never write into the same venv. Locking the repo directory avoids a lock file.
if command -v flock >/dev/null; then
    exec 9<"$ROOT"
    flock 9
fi

new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

# A venv is usable if its python is new enough and pip is present; a failed
# `python3 -m venv` (no ensurepip on Debian) leaves a .venv without pip.
if ! { new_enough "$VENV/bin/python" && [[ -x "$VENV/bin/pip" ]]; }; then
    PY=""
    for cand in python3.11 python3; do
        # pyenv shims exist even when the version is not installed, hence the run test.
        if command -v "$cand" >/dev/null && new_enough "$cand"; then PY="$cand"; break; fi
    done
    if [[ -z "$PY" ]]; then
        have="$( (command -v python3 >/dev/null && python3 --version 2>&1) || echo 'no python3')"
        die "need Python >= 3.11 as python3.11 or python3 (have: ${have%%$'\n'*})"
    fi

    rm -rf "$VENV"
    if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
            die "'$PY -m venv' failed; install the python3-venv package (needs root)"
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        "$PY" -m venv "$VENV" || die "'$PY -m venv' still fails after installing python3-venv"
    fi
fi

sum="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [[ "$(cat "$STAMP" 2>/dev/null || true)" != "$sum" ]]; then
    (cd "$ROOT" && "$VENV/bin/pip" install -q -e '.[dev]')
    # Written only after a successful install, so a failed install is retried.
    echo "$sum" >"$STAMP"
fi
