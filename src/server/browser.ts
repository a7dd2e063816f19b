// One Chromium per process (launch costs ~0.2 s and ~100 MB; contexts are cheap), a fresh context per run so
// cookies and storage never leak between runs.
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { browserEnv, urlPolicyEnv } from "./env";
import { type EgressOptions, startEgressProxy } from "./runs/egress-proxy";
import { setGuardOf, UrlGuard } from "./runs/url-guard";
import type { UrlPolicy } from "./runs/url-policy";
import { MUTATION_CLOCK_INIT } from "./heal/gate/hit-check";
import { logger } from "./logger";

const VIEWPORT = { width: 1280, height: 800 };

let browserPromise: Promise<Browser> | undefined;

export function chromiumLaunchArgs(): string[] {
  const args = [...browserEnv().chromiumArgs];
  // Chromium's sandbox refuses to start as root; elsewhere keep it on.
  if (process.getuid?.() === 0 && !args.includes("--no-sandbox")) args.push("--no-sandbox");
  return args;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: browserEnv().CHROMIUM_PATH,
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

/**
 * tsx (the worker's and CLI's loader) compiles with esbuild's keepNames, which wraps named inner functions in
 * `__name(fn, "name")`. Playwright ships evaluate() callbacks to the page as source text, where that helper does
 * not exist, so any in-page helper like `const box = () => …` would throw "__name is not defined". The identity
 * shim below is what esbuild's helper does minus renaming; it is non-enumerable and never overrides a page's own.
 */
export const KEEP_NAMES_SHIM =
  'if (typeof globalThis.__name === "undefined") Object.defineProperty(globalThis, "__name", { value: (fn) => fn, configurable: true, writable: true });';

/**
 * A run's context: its requests go through an egress proxy that applies the URL policy (runs/egress-proxy.ts;
 * closed with the context), and its guard (runs/url-guard.ts, `guardOf(context)`) hears what was refused.
 * `egress` replaces the proxy's resolver and connector (tests keep every connection on loopback).
 */
export async function newRunContext(browser: Browser, opts: { egress?: EgressOptions; policy?: UrlPolicy } = {}): Promise<BrowserContext> {
  const guard = new UrlGuard(opts.policy ?? urlPolicyEnv());
  const egress = await startEgressProxy(guard.policy, (r) => guard.noteRefused(r), opts.egress);
  let context: BrowserContext;
  try {
    context = await browser.newContext({ viewport: VIEWPORT, ignoreHTTPSErrors: false, proxy: egress.proxy });
  } catch (err) {
    await egress.close();
    throw err;
  }
  context.on("close", () => void egress.close().catch(() => undefined));
  guard.attach(context);
  setGuardOf(context, guard);
  // One init script: the tsx shim below, and each document's mutation clock (heal/gate/hit-check.ts).
  await context.addInitScript({ content: `${KEEP_NAMES_SHIM}\n${MUTATION_CLOCK_INIT}` });
  return context;
}
