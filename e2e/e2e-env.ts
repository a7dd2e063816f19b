// Shared e2e settings: its own port, build dir, database and data folder, so the suite runs while
// `npm run pacts` serves the real app on :3000 in another terminal.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// E2E_PORT / E2E_DB_NAME let two checkouts run their e2e specs at the same time on one machine.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DB_NAME = /^[a-z0-9_]+$/.test(process.env.E2E_DB_NAME ?? "") ? process.env.E2E_DB_NAME! : "pacts_e2e";
export const ADMIN_URL = process.env.E2E_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export const DATABASE_URL = withDatabase(ADMIN_URL, E2E_DB_NAME);
export const DATA_DIR = path.join(ROOT_DIR, ".data-e2e");
export const ARTIFACTS_DIR = path.join(DATA_DIR, "artifacts");
export const STATE_FILE = path.join(DATA_DIR, "e2e-state.json");
// A fixed, test-only secret: the e2e server is bound to 127.0.0.1 and its database is thrown away.
export const NEXTAUTH_SECRET = "pacts-e2e-secret-0123456789abcdef";

export const ADMIN_A = { email: "e2e-admin@example.com", password: "e2e-admin-password-1" };
export const USER_B = { email: "e2e-team-b@example.com", password: "e2e-team-b-password-1" };

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

export const CHROMIUM_ARGS: string[] = [
  "--headless",
  ...(isRoot ? ["--no-sandbox"] : []),
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
];

/** What global setup leaves for the specs. */
export type E2eState = {
  teamA: { id: string; runId: string; screenshotId: string };
  teamB: { id: string; runId: string; screenshotId: string };
};
