// One Chromium per process (launch costs ~0.2 s and ~100 MB; contexts are cheap), a fresh context per run so
// cookies and storage never leak between runs.
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { serverEnv } from "./env";
import { logger } from "./logger";

const VIEWPORT = { width: 1280, height: 800 };

let browserPromise: Promise<Browser> | undefined;

export function chromiumLaunchArgs(): string[] {
  const args = [...serverEnv().chromiumArgs];
  // Chromium's sandbox refuses to start as root; elsewhere keep it on.
  if (process.getuid?.() === 0 && !args.includes("--no-sandbox")) args.push("--no-sandbox");
  return args;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: serverEnv().CHROMIUM_PATH,
    headless: true,
    args: chromiumLaunchArgs(),
  });
  browser.on("disconnected", () => logger.info("chromium disconnected"));
  return browser;
}

/** The process-wide browser; relaunched if it crashed or was closed. */
export async function getBrowser(): Promise<Browser> {
  if (browserPromise) {
    const b = await browserPromise.catch(() => undefined);
    if (b?.isConnected()) return b;
  }
  browserPromise = launchBrowser();
  return browserPromise;
}

export async function closeBrowser(): Promise<void> {
  const p = browserPromise;
  browserPromise = undefined;
  const b = await p?.catch(() => undefined);
  await b?.close().catch(() => undefined);
}

export async function newRunContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, ignoreHTTPSErrors: false });
}
