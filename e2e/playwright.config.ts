import { defineConfig } from "@playwright/test";
import { ARTIFACTS_DIR, BASE_URL, CHROMIUM_ARGS, DATABASE_URL, DATA_DIR, E2E_PORT, NEXTAUTH_SECRET, ROOT_DIR } from "./e2e-env";

// The production build is made by the test script with NEXT_DIST_DIR=.next-e2e; `next start` must read the same dir.
const NEXT_DIST_DIR = ".next-e2e";

const serverEnv: Record<string, string> = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL,
  NEXTAUTH_URL: BASE_URL,
  NEXTAUTH_SECRET,
  NEXT_DIST_DIR,
  PACTS_DATA_DIR: DATA_DIR,
  ARTIFACTS_DIR,
  CHROMIUM_PATH: "/usr/bin/chromium",
  CHROMIUM_ARGS: JSON.stringify(CHROMIUM_ARGS),
  // The worker must not share the dev Redis keyspace with a running `start`; e2e uses the in-process cache.
  REDIS_URL: "",
  LOG_LEVEL: "warn",
  WORKER_POLL_MS: "500",
};

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: "../test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "../reports/e2e.json" }]],
  globalSetup: "./global-setup.ts",
  use: {
    baseURL: BASE_URL,
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  // Started in order: the web server (after it recreates the e2e database), then the worker.
  webServer: [
    {
      name: "web",
      command: `node --import tsx e2e/prepare-database.ts && exec node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${E2E_PORT}`,
      cwd: ROOT_DIR,
      url: `${BASE_URL}/login`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: serverEnv,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      name: "worker",
      command: "exec node --import tsx worker/index.ts",
      cwd: ROOT_DIR,
      reuseExistingServer: false,
      env: { ...serverEnv, PACTS_SERVICE: "worker-e2e" },
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
