# shellcheck shell=bash
# Shared helpers for start.sh, test.sh, bootstrap.sh and .ci/run. Source it; it defines functions only.

pacts_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }

pacts_is_root() { [ "$(id -u)" = "0" ]; }

pacts_lock_sha() { sha256sum package-lock.json | cut -d' ' -f1; }

# node_modules is current when the stamp written after the last `npm ci` matches package-lock.json.
pacts_node_modules_current() {
  [ -d node_modules ] && [ -f node_modules/.pacts-lock-sha ] &&
    [ "$(cat node_modules/.pacts-lock-sha)" = "$(pacts_lock_sha)" ]
}

pacts_npm_ci() {
  echo "[pacts] Installing dependencies (npm ci)…"
  # --no-audit/--no-fund: no extra registry round trips; loglevel hides the harmless "nodedir" warning.
  NPM_CONFIG_LOGLEVEL=error npm ci --no-audit --no-fund
  pacts_lock_sha >node_modules/.pacts-lock-sha
}

pacts_ensure_node_modules() {
  if pacts_node_modules_current; then
    echo "[pacts] node_modules is current (skipping npm ci)."
  else
    pacts_npm_ci
  fi
}

pacts_apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; }
}

# Chromium for the worker and the e2e tests: CHROMIUM_PATH, else Debian's /usr/bin/chromium (installed as root).
pacts_ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  if [ -z "${CHROMIUM_PATH:-}" ] && pacts_is_root && command -v apt-get >/dev/null 2>&1; then
    echo "[pacts] Installing Chromium (apt-get install chromium)…"
    pacts_apt_install chromium && [ -x "$chromium" ] && return 0
  fi
  echo "[pacts] Chromium was not found at $chromium." >&2
  echo "[pacts] Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary." >&2
  return 1
}
