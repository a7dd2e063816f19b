// Whether an element is covered: something else painted on its centre, or a modal dialog that makes it inert.
// Page knowledge shared by the reveal round (repair/reveal.ts) and the one-look hit check (gate/hit-check.ts).
import type { Locator } from "playwright-core";
import { DEEP_DOM_LIB } from "./deep-dom";

/**
 * In-page source of `covered(el)`: true when something else is painted on top of the element's centre (it would
 * not receive a click), or a modal dialog outside it makes it inert; false for an element with no box or a centre
 * outside the viewport. `blockedByModal(el)`: only the latter (what keeps a field from taking typed text). Plain JavaScript,
 * shared with the one-look hit check (gate/hit-check.ts), for the reason fingerprint/fingerprint-capture.ts gives.
 */
export const COVERED_LIB = `${DEEP_DOM_LIB}
function blockedByModal(el) {
  // A modal dialog anywhere in the document, inside an open shadow root too (a web component's showModal()).
  var modal = el.ownerDocument.querySelector(":modal") || deepQueryAll(el.ownerDocument, ":modal")[0];
  if (!modal) return false;
  for (var n = el; n; n = n.parentNode || n.host || null) if (n === modal) return false;
  return true;
}
function covered(el) {
  if (blockedByModal(el)) return true;
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

const blockedInPage = new Function("el", `${COVERED_LIB}\nreturn blockedByModal(el);`) as (el: Element) => boolean;

/** True when a modal dialog the element is not in makes it inert (it takes neither clicks nor typing). */
export async function isBlockedByModal(loc: Locator): Promise<boolean> {
  return loc.evaluate(blockedInPage, undefined, { timeout: 1000 }).catch(() => false);
}
