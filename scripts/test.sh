#!/usr/bin/env bash
# The README's second command: the whole suite (typecheck, unit, integration, production build, e2e), ending
# with one `N passed, N failed` line summed from the runners' JSON reports. A failing stage does not stop the
# later ones. Safe while ./scripts/start.sh runs: e2e uses port 3100, .next-e2e and its own databases.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

suite_start=$(date +%s)
rm -rf reports
mkdir -p reports
stages=reports/stages.tsv

if ! bash scripts/bootstrap.sh; then
  echo "bootstrap	1	-	0" >>"$stages"
  node scripts/summarize-reports.mjs "$stages" 2>/dev/null || echo "0 passed, 1 failed"
  exit 1
fi
if ! pacts_ensure_node_modules; then
  echo "0 passed, 1 failed"
  exit 1
fi

export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_SCHEMA_ENGINE_BINARY=/bin/false
export CI=1 LOG_LEVEL=warn
# Test-only Chromium flags: the resolver rule keeps Chromium off the network (see contracts).
no_sandbox=""
pacts_is_root && no_sandbox='"--no-sandbox",'
export CHROMIUM_ARGS="[\"--headless\",${no_sandbox}\"--disable-gpu\",\"--disable-dev-shm-usage\",\"--disable-background-networking\",\"--disable-component-update\",\"--disable-sync\",\"--disable-quic\",\"--no-first-run\",\"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost\"]"
# Settings of a running `start` (or a user's shell) must not leak into the suite.
unset PORT NEXTAUTH_URL NEXTAUTH_SECRET NEXT_DIST_DIR ADMIN_EMAIL ADMIN_PASSWORD PACTS_DATA_DIR ARTIFACTS_DIR

BIN="$ROOT/node_modules/.bin"

# run_stage NAME REPORT CMD... — records "name<TAB>exit<TAB>report<TAB>seconds".
run_stage() {
  local name="$1" report="$2"
  shift 2
  echo
  echo "=== $name ==="
  local t0 code
  t0=$(date +%s)
  "$@"
  code=$?
  printf '%s\t%s\t%s\t%s\n' "$name" "$code" "$report" "$(($(date +%s) - t0))" >>"$stages"
  return "$code"
}

run_stage typecheck - "$BIN/tsc" --noEmit
run_stage unit reports/vitest-unit.json \
  "$BIN/vitest" run --project unit --reporter=default --reporter=json --outputFile=reports/vitest-unit.json
run_stage integration reports/vitest-integration.json \
  "$BIN/vitest" run --project integration --reporter=default --reporter=json --outputFile=reports/vitest-integration.json
if run_stage build - env NEXT_DIST_DIR=.next-e2e "$BIN/next" build; then
  run_stage e2e reports/e2e.json "$BIN/playwright" test -c e2e/playwright.config.ts
else
  # e2e runs against this build; without it the stage counts as failed rather than silently missing.
  printf 'e2e\tnot-run\treports/e2e.json\t0\n' >>"$stages"
fi

echo
echo "Suite time: $(($(date +%s) - suite_start)) s"
node scripts/summarize-reports.mjs "$stages"
