// A stable selector for an element the step's role + name matches several times over (the same "Contact" link in
// the header, the page body and a new footer): that role + name inside the one landmark (navigation, banner,
// main, contentinfo, …) that holds exactly this element. Roles and names only, no positions, so a heal that had
// to pick the element among look-alikes can be cached and repeated like any other.
import type { Locator, Page } from "playwright-core";
import type { Candidate } from "./strategies/types";

/** ARIA landmark roles (and dialog), tried in this order; the first that singles out the element wins. */
export const LANDMARK_ROLES = ["navigation", "banner", "main", "contentinfo", "complementary", "search", "form", "region", "dialog"] as const;

/**
 * `named` is the step's role + name form that matches `chosen` among other elements. Returns that form scoped
 * to a landmark when exactly one element, `chosen`, matches it there; undefined when no landmark does.
 */
export async function scopeToLandmark(page: Page, chosen: Locator, named: Candidate): Promise<Candidate | undefined> {
  const handle = await chosen.elementHandle({ timeout: 500 }).catch(() => null);
  if (!handle) return undefined;
  try {
    for (const role of LANDMARK_ROLES) {
      const selector = `internal:role=${role} >> ${named.selector}`;
      const only = await page
        .locator(selector)
        .evaluateAll((els, el) => els.length === 1 && els[0] === el, handle)
        .catch(() => false);
      if (only) {
        return { ...named, selector, code: `getByRole(${JSON.stringify(role)}).${named.code}`, count: 1, accepted: true, stable: true };
      }
    }
    return undefined;
  } finally {
    await handle.dispose().catch(() => undefined);
  }
}
