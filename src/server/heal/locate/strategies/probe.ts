// The acceptance gate shared by every strategy: a form is accepted only when it matches exactly one element
// (or the requested ordinal exists), that element is visible, and it can take the action (editable for fill).
import type { Frame, Locator, Page } from "playwright-core";
import type { StepAction, Target } from "@/domain/step";
import type { MatchMode } from "./selector-syntax";
import type { Candidate, FindOptions, Scope, SelectorForm, StrategyFamily } from "./types";

const EDITABLE_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "type", "clear"]);

/** Input types that hold no typed text: Playwright calls them editable, but `fill` cannot type into them. */
const NO_TEXT_TYPES = ["checkbox", "radio", "button", "submit", "reset", "file", "range", "color", "hidden", "image"];

/** The element takes typed text: editable (not disabled or read-only), and not a checkbox, radio or button input
 * (a fill of "Email" must not stop at the checkbox labelled "Email" when the field is labelled "Email address"). */
async function isEditable(loc: Locator): Promise<boolean> {
  const typed = await loc
    .evaluate((el, types) => el.localName !== "input" || !types.includes((el as HTMLInputElement).type), NO_TEXT_TYPES, { timeout: 1000 })
    .catch(() => false);
  // isEditable throws for elements that can never be edited (a <div> without contenteditable): that is a "no".
  return typed && loc.isEditable({ timeout: 1000 }).catch(() => false);
}

async function isSelectable(loc: Locator): Promise<boolean> {
  return loc
    .evaluate((el) => {
      // Opens a list: a combobox, or a button whose aria-haspopup says so (Headless UI's Listbox, MUI's older Select).
      const opensList = (e: Element) => ["listbox", "true"].includes(e.getAttribute("aria-haspopup") ?? "") || e.getAttribute("role") === "combobox";
      const up1 = el.parentElement;
      const up2 = up1?.parentElement;
      return (
        el.tagName === "SELECT" ||
        el.getAttribute("role") === "listbox" ||
        opensList(el) ||
        // The read-only input inside a select's trigger (Vuetify's v-select): the trigger opens the list.
        [up1, up2, up2?.parentElement].some((up) => !!up && opensList(up)) ||
        // A custom select without ARIA (Semantic UI): a focusable box carrying its value in a hidden input.
        (el.hasAttribute("tabindex") && !!el.querySelector("input[type=hidden][name]")) ||
        // A question whose answers are radio buttons (a radiogroup, a fieldset with a legend), in its own shadow
        // root too (a radio-group component).
        ((el.getAttribute("role") === "radiogroup" || el.localName === "fieldset" || el.getAttribute("role") === "group") &&
          !!(el.querySelector("input[type=radio], [role=radio]") ?? el.shadowRoot?.querySelector("input[type=radio], [role=radio]")))
      );
    })
    .catch(() => false);
}

const LABEL_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>(["fill", "check", "uncheck", "select", "expectState", "expectValue"]);

/** A native checkbox or radio button (drawn by its label in custom designs: Bootstrap's btn-check, toggles). */
export async function isToggleInput(loc: Locator): Promise<boolean> {
  return loc.evaluate((el) => el.localName === "input" && ["checkbox", "radio"].includes((el as HTMLInputElement).type), undefined, { timeout: 1000 }).catch(() => false);
}

/** A visually hidden native input (custom checkbox/toggle) counts as visible when its label or ARIA control is. */
export async function visibleViaLabel(loc: Locator): Promise<boolean> {
  return loc
    .evaluate((el) => {
      const shown = (e: Element) => {
        const r = e.getBoundingClientRect();
        const cs = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none";
      };
      const labels = Array.from((el as HTMLInputElement).labels ?? []);
      const id = el.getAttribute("id");
      // Ids resolve in the element's own tree: the document, or the shadow root it lives in.
      const tree = el.getRootNode() as Document | ShadowRoot;
      const controls = id ? Array.from(tree.querySelectorAll(`[aria-controls="${CSS.escape(id)}"]`)) : [];
      return [...labels, ...controls].some(shown);
    }, undefined, { timeout: 1000 })
    .catch(() => false);
}

function withOrdinal(form: SelectorForm, ordinal: number): SelectorForm {
  return {
    ...form,
    selector: `${form.selector} >> nth=${ordinal}`,
    code: ordinal === -1 ? `${form.code}.last()` : ordinal === 0 ? `${form.code}.first()` : `${form.code}.nth(${ordinal})`,
    score: form.score,
  };
}

/** An open modal dialog: while one is shown, the page behind it cannot be used (aria-modal, showModal()). */
export const OPEN_MODAL = ':is([aria-modal="true"], dialog:modal) >> visible=true';

/** A whole page or frame, not a region of one. */
const isDocument = (s: Scope): s is Page | Frame => typeof (s as Page).mainFrame === "function" || typeof (s as Frame).childFrames === "function";

/**
 * Several elements match, but a person sees only one they could use: the others sit behind an open modal dialog
 * (the form's own Cancel under a dialog's Cancel), or entirely off the page (an off-canvas mobile menu moved out
 * with a transform, which Playwright still counts as visible; a hidden copy has no box and is off the page too).
 * Returns a form for that one element: inside the modal (a selector that stays true for the next run), else by
 * position (not cached). Null when that does not leave exactly one.
 */
async function theReachableOne(scope: Scope, form: SelectorForm, count: number): Promise<SelectorForm | null> {
  if (count > 50) return null;
  const facts = await scope
    .locator(form.selector)
    .evaluateAll((els) => {
      // Dialogs anywhere, inside open shadow roots too; "inside" crosses shadow boundaries up to the hosts.
      const deep = (root: Document | ShadowRoot, sel: string): Element[] =>
        Array.from(root.querySelectorAll("*")).flatMap((e) => (e.shadowRoot ? deep(e.shadowRoot, sel) : [])).concat(Array.from(root.querySelectorAll(sel)));
      const holds = (m: Element, e: Node | null): boolean => {
        for (let n = e; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n === m) return true;
        return false;
      };
      const modals = deep(document, '[aria-modal="true"], dialog').filter((m) => {
        if (m.localName === "dialog" && !m.matches(":modal")) return false;
        const r = m.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(m).visibility !== "hidden";
      });
      return els.map((el) => {
        const r = el.getBoundingClientRect();
        const offPage = r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0;
        const inModal = modals.some((m) => holds(m, el));
        return { offPage, inModal, behindModal: modals.length > 0 && !inModal };
      });
    })
    .catch(() => null);
  if (!facts) return null;
  const reachable = facts.map((f, i) => ({ ...f, i })).filter((f) => !f.offPage && !f.behindModal);
  if (reachable.length !== 1) return null;
  const only = reachable[0]!;
  if (only.inModal && isDocument(scope)) {
    const selector = `${OPEN_MODAL} >> ${form.selector}`;
    if ((await scope.locator(selector).count().catch(() => 0)) === 1) {
      return { ...form, selector, code: `locator(${JSON.stringify(OPEN_MODAL.split(" >> ")[0])}).filter({ visible: true }).${form.code}` };
    }
  }
  return { ...form, selector: `${form.selector} >> nth=${only.i}`, code: `${form.code}.nth(${only.i})`, stable: false };
}

/** Probes one form; returns the candidate with count and verdict. */
export async function probeForm(
  scope: Scope,
  form: SelectorForm,
  meta: { strategy: string; family: StrategyFamily; action: StepAction },
  opts: FindOptions,
): Promise<Candidate> {
  const base = { strategy: meta.strategy, family: meta.family, stable: form.stable ?? true };
  let count: number;
  try {
    count = await scope.locator(form.selector).count();
  } catch (err) {
    return { ...base, ...form, count: 0, accepted: false, reason: `invalid selector: ${(err as Error).message.split("\n")[0]}` };
  }
  const reject = (f: SelectorForm, reason: string): Candidate => ({ ...base, ...f, count, accepted: false, reason });
  let chosen = form;
  if (opts.ordinal !== undefined) {
    const need = opts.ordinal === -1 ? 1 : opts.ordinal + 1;
    if (count < need) return reject(form, count === 0 ? "no match" : `only ${count} matches`);
    chosen = withOrdinal(form, opts.ordinal);
  } else if (count > 1) {
    const one = opts.requireVisible ? await theReachableOne(scope, form, count) : null;
    if (!one) return reject(form, `ambiguous: ${count} matches`);
    chosen = one;
  } else if (count === 0) {
    return reject(form, "no match");
  }
  const loc = scope.locator(chosen.selector);
  let viaLabel = false;
  if (opts.requireVisible && !(await loc.isVisible().catch(() => false))) {
    viaLabel = LABEL_ACTIONS.has(meta.action) && (await visibleViaLabel(loc));
    if (!viaLabel) return reject(chosen, "not visible");
  }
  if (EDITABLE_ACTIONS.has(meta.action) && !viaLabel && !(await isEditable(loc))) return reject(chosen, "not editable");
  if (meta.action === "select" && !(await isSelectable(loc))) return reject(chosen, "not a select/combobox");
  return { ...base, ...chosen, count, accepted: true };
}

/** Probes forms best-first and stops at the first accepted one. */
export async function probeForms(
  scope: Scope,
  forms: SelectorForm[],
  meta: { strategy: string; family: StrategyFamily; action: StepAction },
  opts: FindOptions = { requireVisible: true },
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const form of forms) {
    const c = await probeForm(scope, form, meta, opts);
    out.push(c);
    if (c.accepted) break;
  }
  return out;
}

/** Exact, then whole-string case-insensitive, then contains: most to least specific. */
export const MATCH_MODES = [
  { mode: "exact", penalty: 0 },
  { mode: "exact-ci", penalty: 0.05 },
  { mode: "normalized", penalty: 0.08 },
  { mode: "words", penalty: 0.12 },
  { mode: "contains", penalty: 0.15 },
] as const;

/** The match modes a strategy may use under these options. */
export function matchModes(opts: FindOptions | undefined): readonly (typeof MATCH_MODES)[number][] {
  if (opts?.wholeNameOnly || opts?.nameTier === "whole") return MATCH_MODES.filter((m) => m.mode !== "contains");
  if (opts?.nameTier === "partial") return MATCH_MODES.filter((m) => m.mode === "contains");
  return MATCH_MODES;
}

/**
 * The names to look for, each with a match mode, best first: the step's name in every allowed mode; then, in a
 * row scope, that name joined with the row's own name as a whole ("Edit" in row "Bob" is also the icon button
 * labelled "Edit Bob" or "Bob edit", the accessible pattern for row actions; so is an item's, `Edit for Bob`),
 * never as a mere substring.
 */
export function nameForms(target: Target, opts: FindOptions | undefined): { name: string; mode: MatchMode; penalty: number }[] {
  const out: { name: string; mode: MatchMode; penalty: number }[] = matchModes(opts).map(({ mode, penalty }) => ({ name: target.name, mode, penalty }));
  const row = (target.within?.kind === "row" || target.within?.kind === "item") && opts?.nameTier !== "partial" ? target.within.name.trim() : "";
  if (row && target.name.trim()) {
    for (const name of [`${target.name.trim()} ${row}`, `${row} ${target.name.trim()}`]) {
      for (const { mode, penalty } of MATCH_MODES.filter((m) => m.mode === "exact-ci" || m.mode === "normalized")) out.push({ name, mode, penalty: penalty + 0.1 });
    }
  }
  return out;
}
