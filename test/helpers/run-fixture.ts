// What an executeRun integration test needs, set up once per file: its own database, an artifacts folder, the
// server environment (step and navigation timeouts, test Chromium flags), a local HTTP server for the pages
// under test and the real browser. Call it in beforeAll and `close()` it in afterAll.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import type { PrismaClient } from "@/generated/prisma/client";
import { launchBrowser } from "@/server/browser";
import { resetServerEnv } from "@/server/env";
import { TEST_CHROMIUM_ARGS } from "./chromium";
import { createTestDatabase } from "./test-db";

export type RunFixture = {
  db: PrismaClient;
  browser: Browser;
  /** http://127.0.0.1:<port> of the page server. */
  baseUrl: string;
  artifactsDir: string;
  close(): Promise<void>;
};

export async function setupRunFixture(
  name: string,
  opts: { stepTimeoutMs: number; handler: http.RequestListener },
): Promise<RunFixture> {
  const artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-art-"));
  const tdb = await createTestDatabase(name);
  process.env.DATABASE_URL = tdb.url;
  process.env.ARTIFACTS_DIR = artifactsDir;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  process.env.STEP_TIMEOUT_MS = String(opts.stepTimeoutMs);
  process.env.NAVIGATION_TIMEOUT_MS = "5000";
  // A run's egress proxy resolves host names itself (src/server/runs/egress-proxy.ts), where the test Chromium's
  // resolver rule no longer applies: refusing every host but loopback keeps a stray external link off DNS.
  process.env.PACTS_URL_DENY = "*";
  process.env.PACTS_URL_ALLOW = "loopback";
  resetServerEnv();
  const server = http.createServer(opts.handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  return {
    db: tdb.db,
    browser,
    baseUrl,
    artifactsDir,
    async close() {
      await browser.close().catch(() => undefined);
      await new Promise((r) => server.close(r));
      await tdb.drop();
      await rm(artifactsDir, { recursive: true, force: true });
    },
  };
}
