// The URL policy (url-policy.ts) for one run's browser context. `Go to` and the start URL ask `check` before
// anything is fetched; everything the pages request goes through the context's egress proxy (egress-proxy.ts),
// which reports each refusal here. A refusal of a main-frame navigation (a redirect, a clicked link, a script) is
// kept for the step that caused it, which then fails with the reason.
import type { BrowserContext, Request } from "playwright-core";
import type { EgressRefusal } from "./egress-proxy";
import { checkUrl, refusalMessage, type UrlPolicy } from "./url-policy";

export type UrlRefusal = EgressRefusal;

/** What the proxy sees of a URL: the URL for plain http, only host and port for a tunnel (https, wss). */
export function egressKey(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === "https:" || u.protocol === "wss:") return `tunnel:${u.hostname}:${u.port || 443}`;
    u.hash = "";
    return u.href;
  } catch {
    return url;
  }
}

const KEEP = 50;

export class UrlGuard {
  /** Refusals of main-frame navigations not yet taken by a step. */
  private navRefusals: UrlRefusal[] = [];
  /** The proxy's latest refusals and the main frames' latest navigation targets, by egress key. */
  private refused = new Map<string, UrlRefusal>();
  private navigations = new Set<string>();

  constructor(readonly policy: UrlPolicy) {}

  /** The refusal of `url`, or null when the policy lets a run open it. */
  check(url: string): UrlRefusal | null {
    const d = checkUrl(url, this.policy);
    return d.ok ? null : { url, reason: d.reason, message: refusalMessage(url, d.reason) };
  }

  /** The proxy refused a request. */
  noteRefused(r: UrlRefusal): void {
    const key = egressKey(r.url);
    remember(this.refused, key, r);
    if (this.navigations.has(key)) this.navRefusals.push(r);
  }

  /** The proxy's refusal of `url` (any request), if it made one lately. */
  refusalOf(url: string): UrlRefusal | undefined {
    return this.refused.get(egressKey(url));
  }

  /** The latest refusal of anything (a tunnel the browser reports only as failed). */
  latestRefusal(): UrlRefusal | undefined {
    return [...this.refused.values()].pop();
  }

  /** Main-frame navigations refused since the last call (and forgets them, and the proxy's other refusals). */
  takeRefusals(): UrlRefusal[] {
    const r = this.navRefusals;
    this.navRefusals = [];
    this.refused.clear();
    this.navigations.clear();
    return r;
  }

  /** Follows the context's main-frame navigations, so refusals of them are told from a blocked image. */
  attach(context: BrowserContext): void {
    context.on("request", (request: Request) => {
      if (!isMainFrameNavigation(request)) return;
      const key = egressKey(request.url());
      this.navigations.add(key);
      if (this.navigations.size > KEEP) this.navigations.delete(this.navigations.values().next().value!);
      const r = this.refused.get(key);
      if (r) this.navRefusals.push(r);
    });
  }
}

function remember(map: Map<string, UrlRefusal>, key: string, r: UrlRefusal): void {
  map.delete(key);
  map.set(key, r);
  if (map.size > KEEP) map.delete(map.keys().next().value!);
}

function isMainFrameNavigation(request: Request): boolean {
  if (!request.isNavigationRequest()) return false;
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return true; // (a new tab's first document, before its frame is known)
  }
}

const guards = new WeakMap<BrowserContext, UrlGuard>();

export function setGuardOf(context: BrowserContext, guard: UrlGuard): void {
  guards.set(context, guard);
}

/** The guard newRunContext made for `context` (src/server/browser.ts). */
export function guardOf(context: BrowserContext): UrlGuard | undefined {
  return guards.get(context);
}
