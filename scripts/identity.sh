#!/usr/bin/env bash
# Ensure Node.js (>= 18) and npm, and install the locked npm packages of the tests' OpenID provider
# (tests/identity/provider: panva's oidc-provider). Written for Debian 12 as root (CI, dev containers): a missing
# node or npm comes from Debian's nodejs / npm packages. Idempotent: `npm ci` runs only when node_modules was not
# installed from the current package-lock.json (the same stamp tests/identity/provider.py checks).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
DIR="$ROOT/tests/identity/provider"
STAMP="$DIR/node_modules/.pathway-lock.sha256"

die() { echo "identity: $*" >&2; exit 1; }

node_new_enough() { node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' 2>/dev/null; }

pkgs=()
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
if ((${#pkgs[@]})); then
    [[ $(id -u) -eq 0 ]] || die "missing ${pkgs[*]} and not root to install them"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
node_new_enough || die "need Node.js >= 18 for oidc-provider 8 (have $(node --version 2>&1))"

# Serialise with other runs and with the tests, which take the same lock before their own `npm ci`.
if command -v flock >/dev/null; then
    exec 9<"$DIR"
    flock 9
fi

sum="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$STAMP" 2>/dev/null || true)" != "$sum" ]]; then
    (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error </dev/null) || die "npm ci failed in $DIR"
    # Written only after a successful install, so a failed install is retried.
    echo "$sum" >"$STAMP"
fi
version="$(cd "$DIR" && node -p 'require("./node_modules/oidc-provider/package.json").version')" \
    || die "oidc-provider is not installed in $DIR/node_modules"
echo "identity: node $(node --version), oidc-provider $version ready"
