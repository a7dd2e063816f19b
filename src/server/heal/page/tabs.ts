// The tabs of a run's browser context. A click that opens a popup (target=_blank, window.open) adds a page to the
// context, not a step; steps act on the current tab, which only a Switch / Close step changes. "The new tab" is
// one opened since the last switch (or since the run began), so a second "Switch to the new tab" waits for
// another popup rather than going back to one already visited.
import type { BrowserContext, Page } from "playwright-core";

/** Which tab a switch goes to. */
export type TabPlace = "new" | "first" | "previous" | "last";

export class TabError extends Error {
  constructor(
    message: string,
    readonly kind: "TIMEOUT" | "NAVIGATION" | "APP",
  ) {
    super(message);
  }
}

export class Tabs {
  /** Every page the context opened, in order (closed ones too: the order is what "new" is measured by). */
  private readonly opened: Page[] = [];
  private current: Page;
  private previous: Page | undefined;
  /** How many pages had opened at the last switch. */
  private seen: number;

  /** `onPage` hears each page opened after this (to answer its JavaScript dialogs like the first one's). */
  constructor(context: BrowserContext, first: Page, onPage?: (page: Page) => void) {
    this.opened.push(...context.pages());
    if (!this.opened.includes(first)) this.opened.push(first);
    context.on("page", (page) => {
      this.opened.push(page);
      onPage?.(page);
    });
    this.current = first;
    this.seen = this.opened.length;
  }

  private open(): Page[] {
    return this.opened.filter((p) => !p.isClosed());
  }

  /** The tab steps act on. One that closed itself (window.close()) hands over to the one before it. */
  get page(): Page {
    if (this.current.isClosed()) {
      const next = this.fallback(this.current);
      if (next) this.current = next;
    }
    return this.current;
  }

  /** How many tabs are open. */
  get count(): number {
    return this.open().length;
  }

  /** The previous tab when it is still open, else the last open tab other than `not`. */
  private fallback(not: Page): Page | undefined {
    if (this.previous && this.previous !== not && !this.previous.isClosed()) return this.previous;
    return this.open().filter((p) => p !== not).at(-1);
  }

  /** Makes `page` current and waits for it to load (a popup starts as about:blank before its URL loads). */
  private async activate(page: Page, navigationTimeoutMs: number): Promise<Page> {
    if (page !== this.current) this.previous = this.current;
    this.current = page;
    this.seen = this.opened.length;
    await page.bringToFront().catch(() => undefined);
    await page.waitForLoadState("load", { timeout: navigationTimeoutMs }).catch(() => {
      throw new TabError(`The tab (${page.url()}) did not finish loading within ${navigationTimeoutMs} ms`, "NAVIGATION");
    });
    return page;
  }

  /** Switches to a tab; "new" waits up to `timeoutMs` for one to open. */
  async switchTo(place: TabPlace, timeoutMs: number, navigationTimeoutMs: number): Promise<Page> {
    const here = this.page;
    let to: Page | undefined;
    if (place === "new") {
      const deadline = Date.now() + timeoutMs;
      const fresh = () => this.opened.slice(this.seen).filter((p) => !p.isClosed() && p !== here).at(-1);
      for (to = fresh(); !to && Date.now() < deadline; to = fresh()) await new Promise((r) => setTimeout(r, 50));
      if (!to) throw new TabError(`No new tab opened within ${timeoutMs} ms (${this.count} tab${this.count === 1 ? "" : "s"} open, none new since the last switch)`, "TIMEOUT");
    } else if (place === "first") to = this.open()[0];
    else if (place === "last") to = this.open().at(-1);
    else {
      to = this.fallback(here);
      if (!to) throw new TabError("There is no previous tab: only this one is open", "APP");
    }
    return this.activate(to ?? here, navigationTimeoutMs);
  }

  /** Closes the current tab and goes back to the previous one (or the last one open). */
  async closeCurrent(navigationTimeoutMs: number): Promise<Page> {
    const closing = this.page;
    const next = this.fallback(closing);
    if (!next) throw new TabError("This is the only tab: closing it would leave nothing to test", "APP");
    await this.activate(next, navigationTimeoutMs);
    this.previous = undefined;
    await closing.close();
    return next;
  }
}
