#!/usr/bin/env bash
# The README's first command: install what is needed, prepare the database and run web + worker in the foreground.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_SCHEMA_ENGINE_BINARY=/bin/false

command -v node >/dev/null 2>&1 || { echo "[pacts] Node.js 20+ is required (node was not found)." >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || { echo "[pacts] Node.js 20+ is required (found $(node --version))." >&2; exit 1; }

pacts_ensure_node_modules
pacts_ensure_chromium

# exec: node becomes the foreground process, so Ctrl-C (SIGINT to the process group) reaches it directly.
exec node --import tsx scripts/start.ts
