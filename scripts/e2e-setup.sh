#!/usr/bin/env bash
# Installs what the browser tests, the end-to-end tests and the canvas benchmark need, idempotently:
#   - Debian packages: chromium (driven by playwright-core), ripgrep (code-server's search, see below) and
#     libkrb5-dev (code-server's native modules build from source here);
#   - e2e/node_modules: code-server 4.100.3 (VS Code 1.100.3, the newest release whose install accepts Node 20)
#     and @vscode/vsce 3.9.2 (packages the extension as a .vsix), from e2e/package-lock.json.
# Kept out of the main package.json so that a plain `npm ci` stays fast. When everything is already there it
# returns in well under a second. Usage: bash scripts/e2e-setup.sh [--no-apt]
# The workarounds below are the ones in shared/notes/e2e-code-server.md; each one was needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

log() { printf 'e2e-setup: %s\n' "$*"; }

# ------------------------------------------------------------------ Debian packages
if [ "${1:-}" != "--no-apt" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# ------------------------------------------------------------------ code-server and vsce (npm, in e2e/)
lock="$root/e2e/package-lock.json"
stamp="$root/e2e/node_modules/.gatewright-installed"
fingerprint() { { cat "$root/e2e/package.json" "$lock" 2>/dev/null || true; } | sha256sum | cut -c1-64; }
want="$(fingerprint)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$root/e2e/node_modules/.bin/code-server" ] \
  && [ -d "$root/e2e/node_modules/code-server/lib/vscode/node_modules" ]; then
  log "code-server $(node -p "require('$root/e2e/node_modules/code-server/package.json').version") already installed"
  exit 0
fi

# 1. @vscode/ripgrep (nested in code-server) downloads rg from GitHub in its postinstall, which cannot work
#    here: seed its download cache with Debian's rg so that it says "Using cached download".
command -v rg >/dev/null 2>&1 || { log "ripgrep (rg) is needed: apt-get install ripgrep"; exit 1; }
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$tarball" ]; then
  work="$(mktemp -d)"
  cp "$(command -v rg)" "$work/rg"
  mkdir -p "$cache"
  tar -czf "$tarball" -C "$work" rg
  rm -rf "$work"
  log "seeded the ripgrep download cache at $tarball"
fi

# 2. node-pty's postinstall runs `npx node-gyp`, and npm's `yes` is false here.
# 3. As root, code-server's postinstall wants --unsafe-perm (npm 11 warns that it is unknown but passes it on).
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
started=$SECONDS
cd "$root/e2e"
if [ -f "$lock" ]; then
  log "npm ci in e2e/ (code-server builds its native modules: about 80 s)"
  npm ci --unsafe-perm --no-audit --no-fund
else
  log "npm install in e2e/ (writes e2e/package-lock.json)"
  npm install --unsafe-perm --no-audit --no-fund
fi
[ -d node_modules/code-server/lib/vscode/node_modules ] || { log "code-server's postinstall did not run"; exit 1; }
fingerprint >"$stamp"
log "installed in $((SECONDS - started)) s"
