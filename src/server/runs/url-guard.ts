// The URL policy (url-policy.ts) for one run: `Go to` and the start URL ask it before anything is fetched, and
// refusals of navigations the page made itself are remembered, so the step that caused one fails with the reason.
import { checkUrl, refusalMessage, type UrlPolicy } from "./url-policy";

export type UrlRefusal = { url: string; reason: string; message: string };

export class UrlGuard {
  protected refusals: UrlRefusal[] = [];

  constructor(readonly policy: UrlPolicy) {}

  /** The refusal of `url`, or null when the policy lets a run open it. */
  check(url: string): UrlRefusal | null {
    const d = checkUrl(url, this.policy);
    return d.ok ? null : { url, reason: d.reason, message: refusalMessage(url, d.reason) };
  }

  /** Main-frame navigations refused since the last call (and forgets them). */
  takeRefusals(): UrlRefusal[] {
    const r = this.refusals;
    this.refusals = [];
    return r;
  }
}
