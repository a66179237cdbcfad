#!/usr/bin/env bash
# `npm run test:all`: every test, on a fresh machine too. Installs what the tests need (idempotent, fast when
# already there), then runs `npm test` (type check, lint, build, unit, property, browser tests) and the
# end-to-end tests in a real VS Code (code-server). Needs root for apt-get and the .NET SDK for NuGet.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
section() { printf '\n=== %s ===\n' "$*"; }

# Debian packages: nginx for the rehearsal test against real NGINX; faketime to run the unit tests once more on a
# clock moved forward (below). (chromium, ripgrep and libkrb5-dev come with scripts/e2e-setup.sh below.)
APT_PACKAGES=(nginx faketime)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
section "System packages (apt): ${missing[*]:-already installed}"
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Bicep compiler from NuGet (Azure.Bicep.CommandLine.linux-x64) into .tools/bicep: the tests compile every
# generated .bicep with it.
section "Bicep compiler (NuGet)"
bash scripts/install-bicep.sh

# Debian's chromium (driven by playwright-core) and code-server in e2e/, for the browser and end-to-end tests.
section "Browser and end-to-end tools"
bash scripts/e2e-setup.sh

section "Tests: npm test"
npm test

# No test may depend on the calendar: the same tests again with the clock 18 months ahead (libfaketime, inherited by
# every process the tests start). A test on a fixed clock passes on any day; one on the real clock makes its own data.
section "Tests on a clock 18 months ahead: faketime +548d npm test -- test/"
faketime -f '+548d' node scripts/test.mjs test/

section "End-to-end tests in code-server: npm run test:e2e"
npm run test:e2e
