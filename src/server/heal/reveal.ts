// Heal round 1, "reveal": scroll the target into view and get overlays out of its way. Generic: an overlay is a
// visible fixed/absolute/sticky element with a z-index that covers the target's centre (or the viewport centre when
// there is no target yet). It is dismissed with its own accept/close/OK/× button (by accessible name), else Escape.
import type { Locator, Page } from "playwright-core";

const DISMISS_NAMES = /^(accept( all)?( cookies)?|agree|i agree|allow( all)?|ok(ay)?|got it|close|dismiss|continue|no,? thanks|not now|×|✕|✖|x)$/i;

/**
 * In-page source of `covered(el)`: true when something else is painted on top of the element's centre (it would
 * not receive a click); false for an element with no box or a centre outside the viewport. Plain JavaScript,
 * shared with the one-look hit check (hit-check.ts), for the reason fingerprint-capture.ts gives.
 */
export const COVERED_LIB = `
function covered(el) {
  var r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  var x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  var top = el.getRootNode().elementFromPoint(x, y);
  if (!top) return false;
  for (var n = top; n; n = n.parentNode || n.host || null) if (n === el) return false;
  for (var m = el; m; m = m.parentNode || m.host || null) if (m === top) return false;
  return true;
}
`;
const coveredInPage = new Function("el", `${COVERED_LIB}\nreturn covered(el);`) as (el: Element) => boolean;

/** True when something else is painted on top of the element's centre (it would not receive a click). */
export async function isCovered(loc: Locator): Promise<boolean> {
  return loc.evaluate(coveredInPage, undefined, { timeout: 1000 }).catch(() => false);
}

/** Finds the overlay covering a point and returns a handle to its dismiss button (or null). */
async function findDismissButton(page: Page, point: { x: number; y: number } | null) {
  const handle = await page.evaluateHandle(
    ({ point, names }) => {
      const re = new RegExp(names.source, names.flags);
      const x = point?.x ?? innerWidth / 2;
      const y = point?.y ?? innerHeight / 2;
      const stack = document.elementsFromPoint(x, y);
      const isOverlay = (e: Element) => {
        const cs = getComputedStyle(e);
        return ["fixed", "absolute", "sticky"].includes(cs.position) && (parseInt(cs.zIndex, 10) || 0) > 0;
      };
      const overlay = stack.map((e) => {
        for (let n: Element | null = e; n && n !== document.body; n = n.parentElement) if (isOverlay(n)) return n;
        return null;
      })[0];
      if (!overlay) return null;
      // The overlay root may be a backdrop; its dialog may be a sibling painted above it: search the topmost
      // positioned ancestor and every fixed layer on the page.
      const layers = [overlay, ...Array.from(document.querySelectorAll("body *")).filter((e) => isOverlay(e) && e !== overlay)];
      for (const layer of layers) {
        const buttons = Array.from(layer.querySelectorAll("button, [role=button], a, input[type=button], input[type=submit]"));
        const visible = buttons.filter((b) => {
          const r = b.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== "hidden";
        });
        const nameOf = (b: Element) =>
          (b.getAttribute("aria-label") || (b as HTMLInputElement).value || b.textContent || b.getAttribute("title") || "").replace(/\s+/g, " ").trim();
        const hit = visible.find((b) => re.test(nameOf(b)));
        if (hit) return hit;
      }
      return null;
    },
    { point, names: { source: DISMISS_NAMES.source, flags: DISMISS_NAMES.flags } },
  );
  return handle.asElement();
}

/**
 * Scrolls the target into view and dismisses whatever covers it (or the viewport centre). Returns what it did,
 * for the heal event; an empty list means there was nothing to reveal.
 */
export async function revealTarget(page: Page, target: Locator | null): Promise<string[]> {
  const did: string[] = [];
  let point: { x: number; y: number } | null = null;
  // Only a present, unique target is probed (locator.evaluate would otherwise wait out the default timeout).
  const present = !!target && (await target.count().catch(() => 0)) === 1;
  if (target && present) {
    await target.scrollIntoViewIfNeeded({ timeout: 1000 }).then(() => did.push("scrolled into view"), () => undefined);
    if (!(await isCovered(target))) return did;
    const box = await target.boundingBox().catch(() => null);
    if (box) point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
  for (let i = 0; i < 2; i++) {
    const button = await findDismissButton(page, point);
    if (!button) break;
    const name = (await button.textContent().catch(() => ""))?.trim() ?? "";
    const clicked = await button.click({ timeout: 2000 }).then(() => true, () => false);
    await button.dispose().catch(() => undefined);
    if (!clicked) break;
    did.push(`dismissed overlay via ${JSON.stringify(name || "button")}`);
    await page.waitForTimeout(150);
    if (!target || !present || !(await isCovered(target))) return did;
  }
  if (target && present && (await isCovered(target))) {
    await page.keyboard.press("Escape").catch(() => undefined);
    did.push("pressed Escape");
    await page.waitForTimeout(150);
  }
  return did;
}

/**
 * Opens what keeps a hidden element out of sight: the visible control that expands one of its containers (a
 * hamburger or "More" button whose aria-controls names the menu, a disclosure button with aria-expanded="false"
 * right before it, the <summary> of a closed <details>). Returns what was opened, or null when nothing does (the
 * element is hidden for another reason, or is visible already).
 */
export async function expandToReveal(page: Page, hidden: Locator): Promise<string | null> {
  const opener = await hidden
    .evaluateHandle((el) => {
      const shown = (e: Element) => {
        const r = e.getBoundingClientRect();
        const cs = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none";
      };
      if (shown(el)) return null;
      for (let n: Element | null = el; n && n !== document.body; n = n.parentElement) {
        if (n.localName === "details" && !(n as HTMLDetailsElement).open) {
          const summary = n.querySelector(":scope > summary");
          if (summary && shown(summary)) return summary;
        }
        if (n.id) {
          const ctl = Array.from(document.querySelectorAll("[aria-controls]")).find(
            (c) => c.getAttribute("aria-controls")!.split(/\s+/).includes(n!.id) && c.getAttribute("aria-expanded") !== "true" && shown(c),
          );
          if (ctl) return ctl;
        }
        const before = n.previousElementSibling;
        if (before && before.getAttribute("aria-expanded") === "false" && shown(before)) return before;
      }
      return null;
    }, undefined, { timeout: 1000 })
    .catch(() => null);
  const el = opener?.asElement();
  if (!el) {
    await opener?.dispose().catch(() => undefined);
    return null;
  }
  try {
    const name = ((await el.getAttribute("aria-label").catch(() => null)) ?? (await el.textContent().catch(() => "")) ?? "").trim();
    if (!(await el.click({ timeout: 2000 }).then(() => true, () => false))) return null;
    await page.waitForTimeout(200);
    return `opened ${JSON.stringify(name || "the control")} that hid it`;
  } finally {
    await el.dispose().catch(() => undefined);
  }
}
