#!/usr/bin/env bash
# What the test suite needs on this machine, shared by scripts/test.sh and .ci/run: Chromium (and promtool),
# the local PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, started if they are down.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

pacts_ensure_chromium

# promtool (lints /api/metrics) and the prometheus server binary (a test scrapes us with a real Prometheus).
# Only the two binaries are unpacked from Debian's prometheus package: no service is installed or started.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  if pacts_is_root && command -v apt-get >/dev/null 2>&1; then
    echo "[pacts] Installing promtool and prometheus binaries (from Debian's prometheus package)…"
    tmp="$(mktemp -d)"
    if (cd "$tmp" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download prometheus >/dev/null 2>&1; }; } &&
      dpkg -x prometheus_*.deb x &&
      install -m 0755 x/usr/bin/promtool /usr/local/bin/promtool &&
      install -m 0755 x/usr/bin/prometheus /usr/local/bin/prometheus); then
      echo "[pacts] promtool and prometheus installed in /usr/local/bin."
    else
      echo "[pacts] could not install promtool/prometheus from Debian's prometheus package." >&2
      rm -rf "$tmp"
      exit 1
    fi
    rm -rf "$tmp"
  else
    echo "[pacts] promtool and prometheus are needed by the tests (Debian: apt-get install prometheus)." >&2
    exit 1
  fi
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && [[ "$reply" == +PONG* ]]) 2>/dev/null
  fi
}

if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
    echo "[pacts] PostgreSQL is not running on 127.0.0.1:5432 and no Debian cluster was found (apt-get install postgresql)." >&2
    exit 1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  echo "[pacts] Starting PostgreSQL $version (cluster main)…"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi

if ! redis_up; then
  command -v redis-server >/dev/null 2>&1 || { echo "[pacts] Redis is not running on 127.0.0.1:6379 and redis-server is not installed." >&2; exit 1; }
  echo "[pacts] Starting Redis on 127.0.0.1:6379…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" >/dev/null
fi

for _ in $(seq 1 60); do
  if pg_up && redis_up; then
    echo "[pacts] PostgreSQL and Redis are up."
    exit 0
  fi
  sleep 0.5
done
pg_up || echo "[pacts] PostgreSQL did not come up on 127.0.0.1:5432." >&2
redis_up || echo "[pacts] Redis did not come up on 127.0.0.1:6379." >&2
exit 1
