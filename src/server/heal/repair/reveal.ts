// Heal round 1, "reveal": scroll the target into view and get overlays out of its way: whatever covers the
// target's centre (or the viewport centre when there is no target yet), or a modal dialog that makes the rest of
// the page inert, is dismissed with its own accept/close button (overlay.ts), else with Escape.
import type { ElementHandle, Locator, Page } from "playwright-core";
import { findDismissButton } from "../page/overlay";
import { isCovered } from "../page/covered";

/** Of what revealTarget did, the steps that got an overlay out of the way (not a scroll). */
export const dismissals = (did: readonly string[]): string[] => did.filter((d) => /dismissed|Escape/.test(d));

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
    // A hidden element cannot be scrolled to (Playwright would wait out the timeout for it to show).
    if (await target.isVisible().catch(() => false)) {
      await target.scrollIntoViewIfNeeded({ timeout: 1000 }).then(() => did.push("scrolled into view"), () => undefined);
    }
    if (!(await isCovered(target))) return did;
    const box = await target.boundingBox().catch(() => null);
    if (box) point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
  const handle = target && present ? await target.elementHandle({ timeout: 1000 }).catch(() => null) : null;
  try {
    for (let i = 0; i < 2; i++) {
      const button = await findDismissButton(page, point, handle);
      if (!button) break;
      const name = ((await button.getAttribute("aria-label").catch(() => null)) || (await button.textContent().catch(() => "")) || "").replace(/\s+/g, " ").trim();
      const clicked = await button.click({ timeout: 2000 }).then(() => true, () => false);
      await button.dispose().catch(() => undefined);
      if (!clicked) break;
      did.push(`dismissed overlay via ${JSON.stringify(name || "button")}`);
      await page.waitForTimeout(150);
      if (!target || !present || !(await isCovered(target))) return did;
    }
  } finally {
    await handle?.dispose().catch(() => undefined);
  }
  if (target && present && (await isCovered(target))) {
    await page.keyboard.press("Escape").catch(() => undefined);
    did.push("pressed Escape");
    await page.waitForTimeout(150);
  }
  return did;
}

/**
 * In-page: the visible control that opens what hides `el` and the gesture it takes (see expandToReveal), or null
 * when `el` is shown or nothing in reach opens it. `hover`: also guess a hover menu (the visible item beside the
 * hidden list), which only trying tells for sure.
 */
const openerInPage = (el: Element, hover: boolean): { el: Element; how: string } | null => {
  const shown = (e: Element) => {
    const r = e.getBoundingClientRect();
    const cs = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none";
  };
  if (shown(el)) return null;
  const clickable = (c: Element) => ({ el: c, how: "click" });
  // Up through open shadow roots to their hosts: a drawer component's content sits in its own root.
  const up = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null);
  for (let n: Element | null = el; n && n !== document.body; n = up(n)) {
    if (n.localName === "details" && !(n as HTMLDetailsElement).open) {
      const summary = n.querySelector(":scope > summary");
      if (summary && shown(summary)) return clickable(summary);
    }
    if (n.id) {
      // An id is looked up in its own tree (the document or the shadow root it is in), as aria-controls is.
      const ctl = Array.from((n.getRootNode() as Document | ShadowRoot).querySelectorAll("[aria-controls]")).find(
        (c) => c.getAttribute("aria-controls")!.split(/\s+/).includes(n!.id) && c.getAttribute("aria-expanded") !== "true" && shown(c),
      );
      if (ctl) return clickable(ctl);
    }
    const before = n.previousElementSibling;
    if (before && before.getAttribute("aria-expanded") === "false" && shown(before)) return clickable(before);
  }
  // A hover menu: the outermost hidden container whose parent is shown; the shown item before it opens it.
  if (!hover) return null;
  let box: Element | null = el;
  while (box && up(box) && up(box) !== document.body && !shown(up(box)!)) box = up(box);
  const parent = box && up(box);
  if (!box || !parent || parent === document.body || !shown(parent)) return null;
  for (let s = box.previousElementSibling; s; s = s.previousElementSibling) if (shown(s)) return { el: s, how: "hover" };
  return { el: parent, how: "hover" };
};

/** A control on the page says it opens what hides the element (aria-controls, aria-expanded, a closed <details>):
 * the element will not show by itself. Nothing is clicked; a guessed hover menu does not count. */
export async function hasOpener(hidden: Locator): Promise<boolean> {
  const found = await hidden.evaluateHandle(openerInPage, false, { timeout: 1000 }).catch(() => null);
  if (!found) return false;
  try {
    return await found.evaluate((f) => f !== null);
  } finally {
    await found.dispose().catch(() => undefined);
  }
}

/**
 * Of a strategy's candidates (selectors with their match counts), the selector of the one matched element a
 * control says it reveals: when the words match several hidden copies (a desktop dropdown's link and the same
 * link in a display:none mobile drawer), the only copy something opens. Null when none or several are.
 */
export async function hiddenBehindControl(page: Page, candidates: readonly { selector: string; count: number }[]): Promise<string | null> {
  for (const c of candidates) {
    if (c.count < 1 || c.count > 6) continue;
    const base = c.selector.replace(/ >> nth=-?\d+$/, "");
    const openable: number[] = [];
    for (let i = 0; i < c.count; i++) if (await hasOpener(page.locator(base).nth(i))) openable.push(i);
    if (openable.length === 1) return c.count === 1 ? base : `${base} >> nth=${openable[0]}`;
    if (openable.length > 1) return null;
  }
  return null;
}

/** How to open what hides an element again on a later run: a stable selector for the control, and the gesture. */
export type Opener = { selector: string; how: "click" | "hover" };

/**
 * Opens what keeps a hidden element out of sight: the visible control that expands one of its containers (a
 * hamburger or "More" button whose aria-controls names the menu, a disclosure button with aria-expanded="false"
 * right before it, the <summary> of a closed <details>), else a menu shown on hover (the visible item next to the
 * hidden list, as `li:hover > ul` menus and mouseenter menus are built). Returns what was opened and, when the
 * control has a unique role + name (or aria-controls) selector, how to open it again; null when nothing opens it
 * (the element is hidden for another reason, or is visible already).
 */
export async function expandToReveal(page: Page, hidden: Locator): Promise<{ note: string; opener: Opener | null } | null> {
  const found = await hidden
    .evaluateHandle(openerInPage, true, { timeout: 1000 })
    .catch(() => null);
  const how = (await found?.evaluate((f) => (f ? f.how : null)).catch(() => null)) as Opener["how"] | null;
  const control = how ? (await found!.evaluateHandle((f) => f!.el)).asElement() : null;
  await found?.dispose().catch(() => undefined);
  if (!how || !control) return null;
  try {
    const name = ((await control.getAttribute("aria-label").catch(() => null)) ?? (await control.textContent().catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
    const acted = how === "click" ? control.click({ timeout: 2000 }) : control.hover({ timeout: 2000 });
    if (!(await acted.then(() => true, () => false))) return null;
    await page.waitForTimeout(200);
    if (how === "hover" && !(await hidden.isVisible().catch(() => false))) return null;
    const opener = await openerSelector(page, control, name);
    return { note: `${how === "click" ? "opened" : "hovered over"} ${JSON.stringify(name.slice(0, 60) || "the control")} that hid it`, opener: opener ? { selector: opener, how } : null };
  } finally {
    await control.dispose().catch(() => undefined);
  }
}

/** A selector that finds this control again on a later run: its role and exact name, else its aria-controls. */
async function openerSelector(page: Page, control: ElementHandle, name: string): Promise<string | null> {
  const tries: string[] = [];
  const controls = await control.getAttribute("aria-controls").catch(() => null);
  if (name) for (const role of ["button", "link", "menuitem", "tab"]) tries.push(`internal:role=${role}[name=${JSON.stringify(name)}s]`);
  if (controls && !/\d{3}|[:"\\]/.test(controls)) tries.push(`[aria-controls=${JSON.stringify(controls)}]`);
  if (name) tries.push(`internal:text=${JSON.stringify(name)}s`);
  for (const selector of tries) {
    const loc = page.locator(selector);
    if ((await loc.count().catch(() => 0)) !== 1) continue;
    if (await loc.evaluate((el, c) => el === c, control, { timeout: 500 }).catch(() => false)) return selector;
  }
  return null;
}

/** Opens a stored opener when the element it hides is not shown; true when it acted. */
export async function openWith(page: Page, opener: Opener): Promise<boolean> {
  const loc = page.locator(opener.selector);
  if ((await loc.count().catch(() => 0)) !== 1 || !(await loc.isVisible().catch(() => false))) return false;
  const acted = opener.how === "click" ? loc.click({ timeout: 2000 }) : loc.hover({ timeout: 2000 });
  return acted.then(() => true, () => false);
}

/** A control that opens a menu: what kebab and "more actions" buttons of rows and cards declare. */
const MENU_TRIGGER = `:is([aria-haspopup=menu],[aria-haspopup=true],[aria-haspopup=""]):visible`;

/** The region holds exactly one visible menu trigger (see openRegionMenu). */
export async function hasRegionMenu(page: Page, region: { selector: string } | null): Promise<boolean> {
  return !!region && (await page.locator(`${region.selector} >> ${MENU_TRIGGER}`).count().catch(() => 0)) === 1;
}

/**
 * The menu of the step's row or item, opened: when the region holds exactly one visible menu trigger (a row's
 * "⋯" button, rendered by Radix, Headless UI or MUI as aria-haspopup="menu"), it is clicked and the one menu shown
 * afterwards is returned as a scope to search, with the opener to store (the trigger within that region, clicked).
 * Such menus often exist only once opened (rendered into a portal), so nothing on the page says what they hold
 * beforehand. Null when the region has no single trigger or no single menu shows; the menu is closed again then.
 */
export async function openRegionMenu(page: Page, region: { selector: string } | null): Promise<{ note: string; opener: Opener; menu: string } | null> {
  if (!region) return null;
  const trigger = page.locator(`${region.selector} >> ${MENU_TRIGGER}`);
  if ((await trigger.count().catch(() => 0)) !== 1) return null;
  const name = ((await trigger.getAttribute("aria-label").catch(() => null)) ?? (await trigger.innerText().catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
  if (!(await trigger.click({ timeout: 2000 }).then(() => true, () => false))) return null;
  const menu = "internal:role=menu >> visible=true";
  const shown = await page
    .locator(menu)
    .first()
    .waitFor({ state: "visible", timeout: 1000 })
    .then(async () => (await page.locator(menu).count()) === 1, () => false);
  if (!shown) {
    await page.keyboard.press("Escape").catch(() => undefined);
    return null;
  }
  return { note: `opened the menu ${JSON.stringify(name.slice(0, 60) || "button")} of the step's row`, opener: { selector: `${region.selector} >> ${MENU_TRIGGER}`, how: "click" }, menu };
}
