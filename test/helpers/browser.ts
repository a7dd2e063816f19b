// The product's own Chromium (src/server/browser.ts) with the test flags, for a test file: launched before its tests,
// closed after them. Call at the top level of the file; the returned function gives the browser inside tests.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "@/server/browser";
import { resetServerEnv } from "@/server/env";
import { TEST_CHROMIUM_ARGS } from "./chromium";

export function useTestBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    // (serverEnv wants a database URL; these tests never open it.)
    process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";
    process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
    resetServerEnv();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("useTestBrowser: the browser is launched in beforeAll");
    return browser;
  };
}
