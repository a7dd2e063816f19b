// The deterministic step grammar (issue 3 §1): one plain-English line -> one Step, no LLM. Pure module.
//
// How a line is read:
//  1. Quoted parts ("…", “…”, ‘…’, and '…' when it starts a word) are masked as placeholders first, so no keyword
//     inside a quoted value or name can ever be taken as grammar (`Expect text "Log in to the dialog"`).
//  2. The masked line is matched against the forms below, in order, case-insensitively.
//  3. A target phrase is read right-to-left: a scope suffix (`in the Y dialog`, `in row "…"`), a leading "the",
//     an ordinal, an override (`css:`, `role:`, `testid:`), then a trailing type word that becomes `kind`.
//     "in" only opens a scope when followed by the/a/an or a quote AND ending in a region word, so
//     `Click Log in` clicks "Log in" and `Fill "x" in the Search field in the Login dialog` scopes correctly.
// Anything that does not match is rejected with the line, the reason and the closest valid form.
import {
  SCROLL_PLACES,
  TAB_PLACES,
  ZStep,
  type ElementKind,
  type ElementState,
  type Override,
  type Region,
  type ScopedReading,
  type Step,
  type StepAction,
  type StepParseError,
  type Target,
} from "@/domain/step";

export { bindVariables, bindSteps, createBuiltins, findVariables } from "./variables";

export type ParseStepsResult = { ok: true; steps: Step[] } | { ok: false; errors: StepParseError[] };
type LineResult = { ok: true; step: Step } | { ok: false; error: StepParseError };

// ---------------------------------------------------------------------------------------------------------------
// Quote masking

const OPEN = "\uE000";
const CLOSE = "\uE001";
/** A whole placeholder, captured. */
const QP = `(${OPEN}\\d+${CLOSE})`;
const ONLY_PLACEHOLDER = new RegExp(`^${OPEN}(\\d+)${CLOSE}$`);
const ANY_PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");

type Quote = { inner: string; raw: string };
type Masked = { text: string; quotes: Quote[] };

const PAIRS: Record<string, string[]> = { '"': ['"', "”"], "“": ["”", '"'], "‘": ["’"], "'": ["'"] };

/**
 * Replaces quoted parts with placeholders. Returns a reason when a double quote is never closed. Curly quotes
 * inside a straight-quoted value are text (`Expect text "1 post moved to the Trash. “Roadmap”"`, CMS messages
 * quote titles so): a “…” pair nests, and a lone ” closes the value only when the rest of the line then reads.
 */
function maskQuotes(line: string): Masked | { error: string } {
  const quotes: Quote[] = [];
  let out = "";
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    const closers = PAIRS[ch];
    // A straight single quote only opens a quote at the start of a word, so "Don't save" stays text.
    const opensQuote = closers !== undefined && (ch !== "'" || i === 0 || /[\s(:=]/.test(line[i - 1] as string));
    if (!opensQuote) {
      out += ch;
      i++;
      continue;
    }
    const ends = closingAt(line, i, closers);
    // The first close after which the rest of the line still reads (its own quotes closed).
    const end = ends.find((e, k) => k === ends.length - 1 || !("error" in maskQuotes(line.slice(e + 1)))) ?? -1;
    if (end === -1) {
      if (ch === "'" || ch === "‘") {
        out += ch;
        i++;
        continue;
      }
      return { error: `the quote opened at column ${i + 1} is never closed` };
    }
    quotes.push({ inner: line.slice(i + 1, end), raw: line.slice(i, end + 1) });
    out += `${OPEN}${quotes.length - 1}${CLOSE}`;
    i = end + 1;
  }
  return { text: out, quotes };
}

/** Where the quote opened at `open` may close, most likely first: the first closer (a “…” pair inside a
 *  straight-quoted value skipped over), then, for a straight double quote, the next straight one. */
function closingAt(line: string, open: number, closers: string[]): number[] {
  const straight = line[open] === '"';
  let first = -1;
  let nested = 0;
  for (let j = open + 1; j < line.length; j++) {
    const c = line[j] as string;
    if (straight && c === "“") nested++;
    else if (straight && c === "”" && nested > 0) {
      nested--;
      continue;
    }
    if (!closers.includes(c)) continue;
    // A closing straight single quote must end a word ('it's' inside is not a close).
    if (c === "'" && j + 1 < line.length && !/[\s.,;:!?)\]]/.test(line[j + 1] as string)) continue;
    first = j;
    break;
  }
  const ends = first === -1 ? [] : [first];
  const next = straight ? line.indexOf('"', open + 1) : -1;
  if (next !== -1 && next !== first) ends.push(next);
  return ends;
}

/** Puts quoted parts back: "raw" keeps the quote marks, "inner" drops them. */
function unmask(s: string, m: Masked, mode: "raw" | "inner"): string {
  return s.replace(ANY_PLACEHOLDER, (_w, idx: string) => {
    const q = m.quotes[Number(idx)] as Quote;
    return mode === "raw" ? q.raw : q.inner;
  });
}

/** The quoted value of a phrase that is exactly one placeholder, else undefined. */
function quotedValue(s: string, m: Masked): string | undefined {
  const hit = ONLY_PLACEHOLDER.exec(s.trim());
  return hit ? (m.quotes[Number(hit[1])] as Quote).inner : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

/** Type words (singular) and the ELEMENT_KINDS they mean. Multi-word ones first so they win. */
const KIND_WORDS: [string, ElementKind][] = [
  ["menu item", "menuitem"], ["list item", "item"], ["radio button", "radio"], ["check box", "checkbox"],
  ["text box", "field"], ["text field", "field"], ["input field", "field"], ["text area", "field"],
  ["combo box", "dropdown"], ["drop-down", "dropdown"], ["drop down", "dropdown"],
  ["menuitem", "menuitem"], ["textarea", "field"], ["textbox", "field"], ["checkbox", "checkbox"],
  ["combobox", "dropdown"], ["listbox", "dropdown"], ["dropdown", "dropdown"], ["select", "dropdown"],
  ["button", "button"], ["link", "link"], ["field", "field"], ["input", "field"], ["box", "field"],
  ["radio", "radio"], ["option", "option"], ["tab", "tab"], ["heading", "heading"], ["image", "image"],
  ["item", "item"], ["row", "row"], ["menu", "menu"], ["switch", "switch"], ["toggle", "switch"],
];
const pluralOf = (w: string) => (/(x|ch|sh|s)$/.test(w) ? `${w}es` : `${w}s`);
const wordRe = (w: string) => w.replace(/[-]/g, "\\-").replace(/ /g, "\\s+");
const KIND_ALT = KIND_WORDS.map(([w]) => wordRe(w)).join("|");
const KIND_ALT_PLURAL = KIND_WORDS.map(([w]) => `${wordRe(pluralOf(w))}|${wordRe(w)}`).join("|");

function kindOf(word: string): ElementKind | undefined {
  const w = word.toLowerCase().replace(/\s+/g, " ");
  for (const [k, kind] of KIND_WORDS) if (w === k || w === pluralOf(k)) return kind;
  return undefined;
}

const REGION_WORDS: Record<string, Region["kind"]> = {
  section: "section", dialog: "dialog", modal: "dialog", popup: "dialog", form: "form", row: "row",
  region: "region", panel: "region", frame: "frame", iframe: "frame",
  // A card, tile or fieldset is a section titled by its heading or legend; so are a board's lists and columns.
  card: "section", tile: "section", fieldset: "section", group: "section", list: "section", column: "section", lane: "section",
  // One of many posts on a page (`in Jon Skeet's answer`): the repeated item that says the name.
  answer: "item", comment: "item", post: "item", review: "item",
  // Toasts, snackbars and notifications (role alert or status).
  toast: "alert", snackbar: "alert", notification: "alert", alert: "alert",
  // The page's landmarks: `Click Contact in the footer`, `… in the header`, `… in the main content`.
  header: "header", footer: "footer", navigation: "navigation", nav: "navigation", navbar: "navigation",
  sidebar: "sidebar", "main content": "main", main: "main",
};
const REGION_ALT = Object.keys(REGION_WORDS).join("|");

const ORDINAL_WORDS: Record<string, number> = {
  first: 0, second: 1, third: 2, fourth: 3, fifth: 4, sixth: 5, seventh: 6, eighth: 7, ninth: 8, tenth: 9, last: -1,
};
const ORDINAL_RE = new RegExp(`^(${Object.keys(ORDINAL_WORDS).join("|")}|\\d+(?:st|nd|rd|th))\\s+(.+)$`, "i");

const NUMBER_WORDS: Record<string, number> = {
  no: 0, zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

/** Lower-case spellings -> Playwright key names. Single characters pass through. */
const KEY_NAMES: Record<string, string> = {
  enter: "Enter", return: "Enter", tab: "Tab", escape: "Escape", esc: "Escape", space: "Space", spacebar: "Space",
  backspace: "Backspace", delete: "Delete", del: "Delete", insert: "Insert", home: "Home", end: "End",
  pageup: "PageUp", pagedown: "PageDown", arrowup: "ArrowUp", arrowdown: "ArrowDown", arrowleft: "ArrowLeft",
  arrowright: "ArrowRight", up: "ArrowUp", down: "ArrowDown", left: "ArrowLeft", right: "ArrowRight",
  uparrow: "ArrowUp", downarrow: "ArrowDown", leftarrow: "ArrowLeft", rightarrow: "ArrowRight",
  control: "Control", ctrl: "Control", shift: "Shift", alt: "Alt", option: "Alt", meta: "Meta", cmd: "Meta",
  command: "Meta", controlormeta: "ControlOrMeta", mod: "ControlOrMeta",
};
const MODIFIERS = new Set(["Control", "Shift", "Alt", "Meta", "ControlOrMeta"]);

/** Normalises `ctrl + a`, `Arrow Down`, `esc` to Playwright names (`Control+A`, `ArrowDown`, `Escape`). */
export function normalizeKey(input: string): string | undefined {
  const parts = input.split("+").map((p) => p.trim());
  if (parts.some((p) => p === "")) return undefined;
  const names: string[] = [];
  for (const part of parts) {
    const compact = part.toLowerCase().replace(/[\s_-]+/g, "");
    const fn = /^f([1-9]|1[0-2])$/.exec(compact);
    if (KEY_NAMES[compact]) names.push(KEY_NAMES[compact]);
    else if (fn) names.push(`F${fn[1]}`);
    else if (/^(key[a-z]|digit[0-9])$/.test(compact)) names.push(compact[0]!.toUpperCase() + compact.slice(1, -1) + compact.slice(-1).toUpperCase());
    else if ([...part].length === 1) names.push(parts.length > 1 && /[a-z]/.test(part) ? part.toUpperCase() : part);
    else return undefined;
  }
  // Modifiers only make sense before the final key.
  if (names.slice(0, -1).some((n) => !MODIFIERS.has(n))) return undefined;
  return names.join("+");
}

// ---------------------------------------------------------------------------------------------------------------
// Targets and regions

type Fail = { fail: string };
const isFail = (x: unknown): x is Fail => typeof x === "object" && x !== null && "fail" in x;

/** `Login dialog`, `"Login" dialog`, `dialog "Login"`, `dialog` -> Region, or undefined. */
function readRegion(phrase: string, m: Masked): Region | undefined {
  const p = phrase.trim().replace(/^(?:the|a|an)\s+/i, "");
  // `Bob's row`, `Alice Martin's row`: the row (section, …) of that name.
  const possessive = new RegExp(`^(.+?)['’]s\\s+(${REGION_ALT})$`, "i").exec(p);
  if (possessive) return { kind: REGION_WORDS[possessive[2]!.toLowerCase()]!, name: unmask(possessive[1]!.trim(), m, "inner") };
  const kindFirst = new RegExp(`^(${REGION_ALT})\\s+${QP}$`, "i").exec(p);
  if (kindFirst) return { kind: REGION_WORDS[kindFirst[1]!.toLowerCase()]!, name: quotedValue(kindFirst[2]!, m)! };
  const nameFirst = new RegExp(`^(?:(.+?)\\s+)?(${REGION_ALT})$`, "i").exec(p);
  if (nameFirst) {
    const rawName = nameFirst[1]?.trim() ?? "";
    return { kind: REGION_WORDS[nameFirst[2]!.toLowerCase()]!, name: quotedValue(rawName, m) ?? unmask(rawName, m, "inner") };
  }
  return undefined;
}

/**
 * Splits a trailing scope off a masked phrase: `X in the Y dialog`, `X in the "Y" dialog`, `X in row "…"`,
 * `X inside the dialog`, `X on the row "…"`, `X in Bob's row`. The LAST such suffix wins, and "in" must be
 * followed by the/a/an, a region word + quote, or a name's possessive + region word.
 */
function splitScope(phrase: string, m: Masked): { rest: string; within: Region } | undefined {
  const kindQuoted = new RegExp(`^(?:${REGION_ALT})\\s+${QP}$`, "i");
  const possessive = new RegExp(`^\\S.*['’]s\\s+(?:${REGION_ALT})$`, "i");
  let best: { rest: string; within: Region } | undefined;
  for (const hit of phrase.matchAll(/(?<=^|\s)(?:in|inside|within|on)\s+/gi)) {
    const tail = phrase.slice(hit.index + hit[0].length);
    if (!/^(?:the|a|an)\s+/i.test(tail) && !kindQuoted.test(tail) && !possessive.test(tail)) continue;
    const region = readRegion(tail, m);
    // Later splits overwrite earlier ones: the last "in the … <region word>" is the scope.
    if (region) best = { rest: phrase.slice(0, hit.index).trim(), within: region };
  }
  return best;
}

/**
 * `Add to cart for Hoodie`, `Delete next to Carol`, `Edit beside "Invoice 1042"`: the words before the last
 * for / next to / beside and the repeated item the words after it name (or the region they name: `for the Hoodie
 * card`). None when either side is empty or the words after end in a type word (`Search for jobs button` is a
 * name, not an item called "jobs button").
 */
function splitForScope(phrase: string, m: Masked): { rest: string; within: Region } | undefined {
  const hit = [...phrase.matchAll(/\s(?:for|next\s+to|beside)\s+/gi)].at(-1);
  if (!hit) return undefined;
  const rest = phrase.slice(0, hit.index).trim();
  const tail = phrase.slice(hit.index + hit[0].length).trim();
  if (!rest || !tail) return undefined;
  const region = readRegion(tail, m);
  if (region) return region.name.trim() ? { rest, within: region } : undefined;
  if (new RegExp(`\\b(?:${KIND_ALT_PLURAL})$`, "i").test(tail)) return undefined;
  const bare = tail.replace(/^(?:the|a|an)\s+/i, "");
  const name = (quotedValue(bare, m) ?? unmask(bare, m, "inner")).trim();
  return name ? { rest, within: { kind: "item", name } } : undefined;
}

function readOverride(raw: string): Override | Fail | undefined {
  const hit = /^(css|role|testid|test-id)\s*:\s*(.*)$/i.exec(raw.trim());
  if (!hit) return undefined;
  const kind = hit[1]!.toLowerCase();
  const body = hit[2]!.trim();
  if (!body) return { fail: `the ${kind}: override has nothing after the colon` };
  if (kind === "css") return { type: "css", selector: body };
  if (kind === "role") {
    const rm = /^([a-z]+)\s*(?:=\s*(.*))?$/i.exec(body);
    if (!rm) return { fail: `write role overrides as role:button=Save` };
    const name = rm[2]?.trim().replace(/^["“‘'](.*)["”’']$/, "$1");
    return name ? { type: "role", role: rm[1]!.toLowerCase(), name } : { type: "role", role: rm[1]!.toLowerCase() };
  }
  return { type: "testid", testId: body.replace(/^["“‘'](.*)["”’']$/, "$1") };
}

/** Reads a masked target phrase (`the second Delete button in row "Alice"`). `noFor`: read no `for X` scope. */
function readTarget(phrase: string, m: Masked, opts: { plural?: boolean; noFor?: boolean } = {}): Target | Fail {
  let p = phrase.trim();
  let within: Region | undefined;
  const scope = splitScope(p, m);
  if (scope) {
    p = scope.rest;
    within = scope.within;
  }
  // `Add to cart for Hoodie` is kept as written (real names contain "for": "Sign up for free") and also read as
  // "Add to cart" in the item that says Hoodie; discovery tries the literal name first. Not beside an `in …`
  // scope: a step names one region.
  let scoped: ScopedReading | undefined;
  const forScope = !within && !opts.noFor && !readOverride(unmask(p, m, "raw")) ? splitForScope(p, m) : undefined;
  if (forScope) {
    const inner = readTarget(forScope.rest, m, { ...opts, noFor: true });
    if (!isFail(inner) && !inner.override && !inner.within && (inner.name || inner.kind)) {
      const { scoped: _none, override: _o, within: _w, ...reading } = inner;
      scoped = { ...reading, within: forScope.within };
    }
  }
  const article = /^(?:the|a|an)(?:\s+|$)/i.test(p);
  p = p.replace(/^(?:the|a|an)(?:\s+|$)/i, "");
  let ordinal: number | undefined;
  let ordinalWord: string | undefined;
  const ord = ORDINAL_RE.exec(p);
  if (ord) {
    ordinalWord = ord[1]!;
    const w = ordinalWord.toLowerCase();
    ordinal = w in ORDINAL_WORDS ? ORDINAL_WORDS[w] : Number.parseInt(w, 10) - 1;
    if (ordinal !== undefined && ordinal < -1) return { fail: `ordinals start at 1st` };
    p = ord[2]!;
  }
  const base = (t: Omit<Target, "exact"> & { exact?: boolean }): Target => ({
    ...t,
    exact: t.exact ?? false,
    ...(ordinal !== undefined ? { ordinal } : {}),
    // "First name", "Last name", "Second address line" are labels, not ordinals: keep the phrase as
    // written so discovery can try it literally before applying the ordinal.
    ...(ordinalWord && t.name && !t.override ? { literalName: `${ordinalWord} ${t.name}` } : {}),
    ...(within ? { within } : {}),
    ...(scoped && !t.override ? { scoped } : {}),
  });

  const override = readOverride(unmask(p, m, "raw"));
  if (isFail(override)) return override;
  if (override) {
    const name = override.type === "css" ? override.selector : override.type === "testid" ? override.testId : (override.name ?? override.role);
    return base({ name, exact: true, override });
  }

  const kindAlt = opts.plural ? KIND_ALT_PLURAL : KIND_ALT;
  let kind: ElementKind | undefined;
  let name = p.trim();
  const kindThenQuoted = new RegExp(`^(${kindAlt})\\s+(?:(?:labell?ed|named|called|titled|saying)\\s+)?${QP}$`, "i").exec(name);
  const nameThenKind = new RegExp(`^(.*?)\\s*\\b(${kindAlt})$`, "i").exec(name);
  if (kindThenQuoted) {
    kind = kindOf(kindThenQuoted[1]!);
    name = kindThenQuoted[2]!;
  } else if (nameThenKind) {
    kind = kindOf(nameThenKind[2]!);
    name = nameThenKind[1]!.trim();
    // "Click Open menu", "Click Insert link": with no article, the type word may be the end of the name.
    if (!article && ordinal === undefined && !opts.plural && name && quotedValue(name, m) === undefined) {
      return base({ name: unmask(name, m, "raw"), kind, literalName: unmask(`${name} ${nameThenKind[2]!}`, m, "raw"), literalHasType: true });
    }
  }
  // "the Delete icon", "the Search icon": an icon is whatever element carries it (a button, a link, an image).
  if (!kind) name = name.replace(/^(.+?)\s+icon$/i, "$1");
  if (!name && !kind) return { fail: "the element is missing" };
  const exactName = quotedValue(name, m);
  if (exactName !== undefined) return base({ name: exactName, exact: true, ...(kind ? { kind } : {}) });
  return base({ name: unmask(name, m, "raw"), ...(kind ? { kind } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** `2 seconds`, `500 ms`, `1.5s`, `1 minute` -> milliseconds. */
function readDuration(amount: string, unit: string): number {
  const n = Number.parseFloat(amount);
  const u = unit.toLowerCase();
  const factor = /^(ms|millis|milliseconds?)$/.test(u) ? 1 : /^(m|mins?|minutes?)$/.test(u) ? 60_000 : 1000;
  return Math.round(n * factor);
}
const MAX_WAIT_MS = 5 * 60_000;

function checkUrl(url: string): string | undefined {
  if (url.startsWith("/") || url.startsWith("{{")) return undefined;
  if (/^https?:\/\//i.test(url)) {
    try {
      new URL(url);
      return undefined;
    } catch {
      return `"${url}" is not a valid URL`;
    }
  }
  return `"${url}" is not a URL: use an absolute http(s) URL or a path starting with /`;
}

const STATE_WORDS: Record<string, ElementState> = {
  visible: "visible", shown: "visible", displayed: "visible", present: "visible",
  hidden: "hidden", invisible: "hidden", "not visible": "hidden", "not shown": "hidden", "not displayed": "hidden",
  enabled: "enabled", "not disabled": "enabled", disabled: "disabled", "not enabled": "disabled",
  checked: "checked", selected: "checked", unchecked: "unchecked", "not checked": "unchecked", "not selected": "unchecked",
};
const STATE_ALT = Object.keys(STATE_WORDS).sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, "\\s+")).join("|");
const stateOf = (w: string) => STATE_WORDS[w.toLowerCase().replace(/\s+/g, " ")]!;

// ---------------------------------------------------------------------------------------------------------------
// The forms

type Ctx = { m: Masked };
type Built = Omit<Step, "line" | "text"> | Fail;
type Form = { re: RegExp; assertion?: boolean; build: (g: string[], ctx: Ctx) => Built };

const EXPECT = "(?:expect|verify|assert|ensure|confirm|check\\s+that)(?:\\s+that)?";
const r = (src: string) => new RegExp(`^${src}$`, "i");

/** Build helpers: the element a step acts on, or a failure naming what is missing. */
function target(phrase: string | undefined, ctx: Ctx, what: string, opts?: { plural?: boolean }): Target | Fail {
  if (!phrase || !phrase.trim()) return { fail: `missing ${what}` };
  const t = readTarget(phrase, ctx.m, opts);
  if (isFail(t)) return { fail: `${t.fail} (${what})` };
  return t;
}
function withTarget(action: StepAction, phrase: string | undefined, ctx: Ctx, what: string, extra: Partial<Step> = {}, kind?: ElementKind): Built {
  const t = target(phrase, ctx, what);
  return isFail(t) ? t : { action, target: kind && !t.kind && !t.override ? { ...t, kind } : t, ...extra };
}
const valueOf = (ph: string, ctx: Ctx) => quotedValue(ph, ctx.m) as string;

/** A text step (no element) may be bounded by a region: `Expect text "x" in the Users section`. */
function textStep(action: StepAction, ph: string, scope: string | undefined, ctx: Ctx): Built {
  const step: Omit<Step, "line" | "text"> = { action, value: valueOf(ph, ctx) };
  if (scope) {
    const region = readRegion(scope, ctx.m);
    if (!region) return { fail: `"${unmask(scope, ctx.m, "raw")}" is not a region (section, dialog, form, row, region, frame, header, footer, navigation, sidebar, main content)` };
    step.within = region;
  }
  return step;
}
const SCOPE_TAIL = `(?:\\s+(?:in|inside|within)\\s+(.+))?`;

/** Words after a disclosure's name that say what it is, not what it is called ("the Shipping section"). */
const EXPAND_WORDS = "accordion(?:\\s+(?:item|section|panel))?|section|panel|details|disclosure|collapsible|expander|node";
/** With Open/Close only these say a disclosure is meant ("Close the panel" may well be a drawer's × button). */
const OPEN_WORDS = "accordion(?:\\s+(?:item|section|panel))?|section|details|disclosure|collapsible|expander";

/**
 * `Expand the Shipping section`, `Collapse FAQ`, `Open the Returns accordion in the Help dialog`: the control named
 * X, its disclosure word dropped from the name (a scope suffix stays a scope). `needWord`: the form is only a
 * disclosure when the word is there (Open/Close).
 */
function disclosureStep(action: "expand" | "collapse", phrase: string, ctx: Ctx, words: string, needWord: boolean): Built {
  const what = `the control to ${action}`;
  const p = phrase.trim();
  const scope = splitScope(p, ctx.m);
  const article = /^(?:the|a|an)\s+/i.exec(scope ? scope.rest : p)?.[0] ?? "";
  const core = (scope ? scope.rest : p).slice(article.length);
  const tail = scope ? p.slice(scope.rest.length) : "";
  // ("Expand Details" is a <summary> named Details; "Expand the section" names nothing.)
  if (/^(?:section|panel|accordion)$/i.test(core)) return { fail: `name the section to ${action}, e.g. Expand the Shipping section` };
  const named = new RegExp(`^(.*\\S)\\s+(?:${words})$`, "i").exec(core);
  if (!named && needWord) return { fail: `say which section to ${action === "expand" ? "open" : "close"}, e.g. Open the Shipping accordion` };
  return withTarget(action, `${article}${named ? named[1] : core}${tail}`, ctx, what);
}

/**
 * `Upload "a.pdf" to the Resume field`: the element a person sees (a label, a "Choose file" button, a drop zone);
 * the executor finds its file input. "field" and a trailing "file"/"upload" only say it takes a file.
 */
function uploadStep(v: string, phrase: string | undefined, ctx: Ctx): Built {
  const value = valueOf(v, ctx);
  if (!value.trim()) return { fail: "name the file to upload" };
  if (!phrase) return { action: "upload", value };
  const t = target(phrase, ctx, "the file field to upload to");
  if (isFail(t) || t.override || (t.kind && t.kind !== "field")) return isFail(t) ? t : { action: "upload", value, target: t };
  const { kind: _kind, ...rest } = t;
  const name = t.exact ? t.name : t.name.replace(/^(.+?)\s+(?:file(?:\s+upload)?|upload)$/i, "$1");
  return { action: "upload", value, target: { ...rest, name } };
}

/** Tab words -> TAB_PLACES. */
const TAB_WORDS: Record<string, string> = {
  new: "new", "newly opened": "new", first: "first", original: "first", main: "first", previous: "previous", last: "last", latest: "last",
};

const FORMS: Form[] = [
  // Navigation
  { re: r("(?:go|navigate)\\s+back"), build: () => ({ action: "back" }) },
  // Tabs and windows: `Switch to the new tab`, `Switch back to the previous window`, `Close the tab`. (A bare
  // "Close the popup" is a dialog's.)
  {
    re: r("switch\\s+(back\\s+)?to\\s+(?:the\\s+)?(?:(new|newly\\s+opened|first|original|main|previous|last|latest)\\s+)?(?:tab|window|popup|browser\\s+tab)"),
    build: ([back, w]) => {
      const word = (w ?? (back ? "previous" : "new")).toLowerCase().replace(/\s+/g, " ");
      return { action: "switchTab", value: TAB_WORDS[word]! };
    },
  },
  { re: r("switch\\s+back"), build: () => ({ action: "switchTab", value: "previous" }) },
  { re: r("close\\s+(?:the\\s+)?(?:current\\s+|new\\s+|this\\s+|popup\\s+)?(?:tab|window|browser\\s+tab)"), build: () => ({ action: "closeTab" }) },
  // `Switch to the Billing tab`: a tab of the page, clicked.
  { re: r("switch\\s+to\\s+(.+?\\s+tab)"), build: ([t], ctx) => withTarget("click", t, ctx, "the tab to switch to") },
  // Disclosures (before "Open <url>"): `Open the Shipping accordion`, `Expand the FAQ section`, `Collapse Details`.
  {
    re: r(`open\\s+(.+?\\s(?:${OPEN_WORDS})(?:\\s+(?:in|inside|within|on)\\s+.+)?)`),
    build: ([t], ctx) => disclosureStep("expand", t!, ctx, OPEN_WORDS, true),
  },
  { re: r("expand\\s+(.+)"), build: ([t], ctx) => disclosureStep("expand", t!, ctx, EXPAND_WORDS, false) },
  { re: r("collapse\\s+(.+)"), build: ([t], ctx) => disclosureStep("collapse", t!, ctx, EXPAND_WORDS, false) },
  // Pagination: `Go to page 2`, `Click page 3` is the link or button named by the number.
  {
    re: r("(?:go\\s+to|click(?:\\s+on)?|open)\\s+page\\s+(\\d+)"),
    build: ([n]) => ({ action: "click", target: { name: n!, exact: true, kind: "link" } }),
  },
  { re: r("(?:reload|refresh)(?:\\s+(?:the\\s+)?page)?"), build: () => ({ action: "reload" }) },
  {
    re: r("(?:go\\s+to|navigate\\s+to|open|visit|browse\\s+to)\\s+(.+)"),
    build: ([u], ctx) => {
      const url = (quotedValue(u!, ctx.m) ?? unmask(u!, ctx.m, "inner")).trim();
      const bad = checkUrl(url);
      return bad ? { fail: bad } : { action: "navigate", value: url };
    },
  },
  // Typing
  {
    re: r(`(?:fill(?:\\s+in)?|enter|input|type)\\s+${QP}\\s+as\\s+(?:the\\s+|your\\s+)?(.+)`),
    build: ([v, t], ctx) => withTarget("fill", t, ctx, "the field to fill", { value: valueOf(v!, ctx) }),
  },
  {
    re: r(`(?:fill(?:\\s+in)?|enter|input)\\s+${QP}\\s+(?:in|into|on)\\s+(.+)`),
    build: ([v, t], ctx) => withTarget("fill", t, ctx, "the field to fill", { value: valueOf(v!, ctx) }),
  },
  {
    re: r(`(?:fill(?:\\s+in)?|enter|input|set)\\s+(.+?)\\s+(?:with|to)\\s+${QP}${SCOPE_TAIL}`),
    build: ([t, v, scope], ctx) => withTarget("fill", scope ? `${t} in ${scope}` : t, ctx, "the field to fill", { value: valueOf(v!, ctx) }),
  },
  {
    re: r(`type\\s+${QP}\\s+(?:in|into|on)\\s+(.+)`),
    build: ([v, t], ctx) => withTarget("type", t, ctx, "the field to type into", { value: valueOf(v!, ctx) }),
  },
  // `Type "Retro notes"`: into whatever has the focus (an autofocused composer), as `Press Enter` presses there.
  { re: r(`type\\s+${QP}`), build: ([v], ctx) => ({ action: "type", value: valueOf(v!, ctx) }) },
  // Files: `Upload "report.pdf" to the Attachments field`, `Attach "a.png" to Profile picture`, `Upload "data.csv"`.
  {
    re: r(`(?:upload|attach)\\s+(?:the\\s+)?(?:file\\s+)?${QP}(?:\\s+(?:to|into|in|on|for|as)\\s+(.+))?`),
    build: ([v, t], ctx) => uploadStep(v!, t, ctx),
  },
  { re: r("clear\\s+(.+)"), build: ([t], ctx) => withTarget("clear", t, ctx, "the field to clear") },
  // Keys
  {
    re: r("(?:press|hit)\\s+(?:the\\s+)?(.+?)(?:\\s+key)?(?:\\s+(?:on|in|into)\\s+(.+))?"),
    build: ([k, t], ctx) => {
      const keyText = quotedValue(k!, ctx.m) ?? unmask(k!, ctx.m, "inner");
      const key = normalizeKey(keyText);
      if (!key) return { fail: `"${keyText}" is not a key Playwright knows (try Enter, Tab, Escape, ArrowDown, Control+A)` };
      if (!t) return { action: "press", key };
      return withTarget("press", t, ctx, "the element to press the key on", { key });
    },
  },
  // Pointer
  {
    re: r("(?:double[-\\s]?click|dblclick)(?:\\s+on)?\\s+(.+)"),
    build: ([t], ctx) => withTarget("dblclick", t, ctx, "the element to double-click"),
  },
  { re: r("(?:click|tap)(?:\\s+(?:on|in|into))?\\s+(.+)"), build: ([t], ctx) => withTarget("click", t, ctx, "the element to click") },
  {
    // "Close the dialog", "Close the Settings modal": its first close button (× buttons are named Close by
    // aria-label; a footer Close button often closes it too).
    re: r("(?:close|dismiss)\\s+(?:the\\s+)?(.*?\\b(?:dialog|modal|popup|toast|snackbar|notification|alert))"),
    build: ([d], ctx) => {
      const region = readRegion(d!, ctx.m);
      if (!region) return { fail: "name the dialog to close, e.g. Close the Settings dialog" };
      return { action: "click", target: { name: "Close", exact: false, kind: "button", ordinal: 0, within: region } };
    },
  },
  {
    // After "Close the dialog": `Close the Shipping accordion`, `Close the FAQ section`.
    re: r(`close\\s+(.+?\\s(?:${OPEN_WORDS})(?:\\s+(?:in|inside|within|on)\\s+.+)?)`),
    build: ([t], ctx) => disclosureStep("collapse", t!, ctx, OPEN_WORDS, true),
  },
  { re: r("toggle\\s+(.+)"), build: ([t], ctx) => withTarget("click", t, ctx, "the switch to toggle") },
  { re: r("(?:turn|switch)\\s+on\\s+(.+)"), build: ([t], ctx) => withTarget("check", t, ctx, "the switch to turn on") },
  { re: r("(?:turn|switch)\\s+off\\s+(.+)"), build: ([t], ctx) => withTarget("uncheck", t, ctx, "the switch to turn off") },
  { re: r("hover(?:\\s+over|\\s+on)?\\s+(.+)"), build: ([t], ctx) => withTarget("hover", t, ctx, "the element to hover over") },
  {
    re: r(`(?:select|choose|pick)\\s+${QP}\\s+(?:from|in)\\s+(.+)`),
    build: ([v, t], ctx) => withTarget("select", t, ctx, "the dropdown to select from", { value: valueOf(v!, ctx) }),
  },
  {
    // The answer to a question: `Choose "Yes" for "Do you already have a passport?"` (a radio group named by its
    // legend, or a dropdown named by its label).
    re: r(`(?:select|choose|pick|answer)\\s+${QP}\\s+for\\s+(.+)`),
    build: ([v, t], ctx) => withTarget("select", t, ctx, "the question or dropdown to answer", { value: valueOf(v!, ctx) }),
  },
  {
    // `Select Scotland`, `Choose the Express option`: an option, radio or tab picked by its name.
    re: r("(?:select|choose|pick)\\s+(?!(?:.*\\s)?(?:from|for)\\s)(.+)"),
    build: ([t], ctx) => withTarget("click", t, ctx, "the option to pick"),
  },
  { re: r("(?:uncheck|untick)\\s+(.+)"), build: ([t], ctx) => withTarget("uncheck", t, ctx, "the checkbox to uncheck") },
  // Scrolling: the page (down/up a screen, to the top/bottom) or an element into view. "The X section" is its
  // heading: sections are named by their headings.
  {
    re: r("scroll\\s+(?:all\\s+the\\s+way\\s+)?(?:(down|up)(?:\\s+(?:the|a|one)\\s+(?:page|screen))?|to\\s+the\\s+(top|bottom)(?:\\s+of\\s+the\\s+page)?)"),
    build: ([dir, end]) => ({ action: "scroll", value: (dir ?? end)!.toLowerCase() }),
  },
  {
    re: r("scroll\\s+(?:down\\s+|up\\s+)?to\\s+(?:the\\s+)?(.+?)\\s+section"),
    build: ([t], ctx) => withTarget("scroll", t, ctx, "the section to scroll to", {}, "heading"),
  },
  {
    re: r("scroll\\s+(?:(?:down|up)\\s+)?(?:to\\s+)?(.+?)(?:\\s+into\\s+view)?"),
    build: ([t], ctx) => withTarget("scroll", t, ctx, "the element to scroll to"),
  },
  // Waits
  {
    re: r("wait(?:\\s+for)?\\s+(\\d+(?:\\.\\d+)?)\\s*(ms|millis|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)"),
    build: ([n, u]) => {
      const ms = readDuration(n!, u!);
      return ms > MAX_WAIT_MS ? { fail: `waits longer than 5 minutes are not allowed` } : { action: "wait", ms };
    },
  },
  {
    re: r(`wait\\s+(?:for|until)\\s+(?:the\\s+)?text\\s+${QP}(?:\\s+to\\s+appear)?${SCOPE_TAIL}`),
    build: ([v, scope], ctx) => textStep("waitForText", v!, scope, ctx),
  },
  {
    re: r(`wait\\s+(?:for|until)\\s+(.+?)\\s+to\\s+(?:be\\s+)?(${STATE_ALT}|appear|disappear)`),
    build: ([t, s], ctx) => {
      const w = s!.toLowerCase();
      const state = w === "appear" ? "visible" : w === "disappear" ? "hidden" : stateOf(w);
      return withTarget("waitFor", t, ctx, "the element to wait for", { state });
    },
  },
  { re: r("wait\\s+for\\s+(.+)"), build: ([t], ctx) => withTarget("waitFor", t, ctx, "the element to wait for") },
  // Assertions (before `check X`, because "Check that …" is an assertion)
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(?:the\\s+)?(?:page\\s+)?title\\s+(?:to\\s+)?(?:contains?|includes?|to\\s+contain|to\\s+include|has)\\s+${QP}`),
    build: ([v], ctx) => ({ action: "expectTitle", value: valueOf(v!, ctx) }),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(?:the\\s+)?(?:page\\s+)?(?:url|address)\\s+(?:to\\s+)?(?:contains?|includes?|to\\s+contain|to\\s+include|has)\\s+${QP}`),
    build: ([v], ctx) => ({ action: "expectUrl", value: valueOf(v!, ctx) }),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+no\\s+text\\s+${QP}${SCOPE_TAIL}`),
    build: ([v, scope], ctx) => textStep("expectNoText", v!, scope, ctx),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(?:the\\s+)?text\\s+${QP}\\s+(?:not\\s+to\\s+be|to\\s+not\\s+be|is\\s+not|to\\s+be)\\s+(?:visible|shown|displayed|hidden)${SCOPE_TAIL}`),
    build: ([v, scope], ctx) => {
      const negative = /not|hidden/i.test(ctx.m.text.replace(/\uE000\d+\uE001/g, ""));
      return textStep(negative ? "expectNoText" : "expectText", v!, scope, ctx);
    },
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(?:(?:the\\s+)?text|to\\s+see|(?:the\\s+)?page\\s+(?:to\\s+)?(?:contains?|to\\s+show|shows))\\s+${QP}${SCOPE_TAIL}`),
    build: ([v, scope], ctx) => textStep("expectText", v!, scope, ctx),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(.+?)\\s+(?:to\\s+have|has)\\s+(?:the\\s+)?value\\s+${QP}`),
    build: ([t, v], ctx) => withTarget("expectValue", t, ctx, "the field whose value is checked", { value: valueOf(v!, ctx) }),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(.+?)\\s+(?:to\\s+contain|contains|to\\s+have\\s+text|has\\s+text)\\s+${QP}`),
    build: ([t, v], ctx) => withTarget("expectContains", t, ctx, "the element whose text is checked", { value: valueOf(v!, ctx) }),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(.+?)\\s+to\\s+(?:be\\s+)?(${STATE_ALT})`),
    build: ([t, s], ctx) => withTarget("expectState", t, ctx, "the element whose state is checked", { state: stateOf(s!) }),
  },
  {
    assertion: true,
    re: r(`${EXPECT}\\s+(\\d+|${Object.keys(NUMBER_WORDS).join("|")})\\s+(.+)`),
    build: ([n, t], ctx) => {
      const count = /^\d+$/.test(n!) ? Number.parseInt(n!, 10) : NUMBER_WORDS[n!.toLowerCase()]!;
      const tt = target(t, ctx, "the elements to count", { plural: true });
      return isFail(tt) ? tt : { action: "expectCount", target: tt, count };
    },
  },
  { re: r("(?:check|tick)\\s+(.+)"), build: ([t], ctx) => withTarget("check", t, ctx, "the checkbox to check") },
];

// ---------------------------------------------------------------------------------------------------------------
// Suggestions

type Template = { verbs: string[]; examples: string[]; assertion?: boolean };
const TEMPLATES: Template[] = [
  { verbs: ["go", "navigate", "open", "visit"], examples: ["Go to https://example.com/login", "Navigate to /settings", "Go back"] },
  { verbs: ["reload", "refresh"], examples: ["Reload the page"] },
  { verbs: ["fill", "enter", "input", "set"], examples: ['Fill "alice" in the Username field', 'Fill the Username field with "alice"'] },
  { verbs: ["type"], examples: ['Type "hello" into the Message field'] },
  { verbs: ["clear"], examples: ["Clear the Search field"] },
  { verbs: ["upload", "attach"], examples: ['Upload "report.pdf" to the Attachments field', 'Attach "photo.png" to the Profile picture field', 'Upload "data.csv"'] },
  { verbs: ["press", "hit"], examples: ["Press Enter", "Press Enter on the Search field", "Press Control+A"] },
  { verbs: ["close", "dismiss"], examples: ["Close the dialog", "Close the Settings dialog", "Close the Shipping accordion", "Close the tab"] },
  { verbs: ["expand", "collapse"], examples: ["Expand the Shipping section", "Collapse the FAQ section", "Open the Returns accordion"] },
  { verbs: ["toggle", "turn"], examples: ["Toggle the Dark mode switch", "Turn on Email notifications", "Turn off the Newsletter switch"] },
  { verbs: ["switch"], examples: ["Switch to the new tab", "Switch back to the previous tab", "Switch to the first tab", "Switch on Email notifications"] },
  { verbs: ["click", "tap"], examples: ["Click the Log in button", "Click the first Delete button", 'Click "Save" in the Settings dialog'] },
  { verbs: ["double-click", "dblclick"], examples: ["Double-click the Title cell"] },
  { verbs: ["hover"], examples: ["Hover over the Account menu"] },
  { verbs: ["scroll"], examples: ["Scroll down", "Scroll to the bottom", "Scroll to the Pricing section", "Scroll to the Load more button"] },
  { verbs: ["select", "choose", "pick"], examples: ['Select "France" from the Country dropdown'] },
  { verbs: ["check", "tick"], examples: ["Check the Remember me checkbox"] },
  { verbs: ["uncheck", "untick"], examples: ["Uncheck the Newsletter checkbox"] },
  { verbs: ["wait"], examples: ["Wait for the Results heading", 'Wait for text "Saved"', "Wait 2 seconds"] },
  {
    verbs: ["expect", "verify", "assert", "ensure", "confirm"],
    assertion: true,
    examples: [
      'Expect text "Welcome"', 'Expect no text "Error"', 'Expect title contains "Dashboard"', 'Expect URL contains "/home"',
      "Expect the Save button to be enabled", 'Expect the Email field to have value "a@b.c"',
      'Expect the Cart section to contain "1 item"', "Expect 3 Delete buttons",
    ],
  },
];
const ASSERTION_EXAMPLES = TEMPLATES.find((t) => t.assertion)!.examples;

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest template for a line: by its first word exactly, else by edit distance. */
function nearestTemplate(firstWord: string, assertionOnly: boolean): { template: Template; verb: string; distance: number } {
  const pool = assertionOnly ? TEMPLATES.filter((t) => t.assertion) : TEMPLATES;
  let best = { template: pool[0]!, verb: pool[0]!.verbs[0]!, distance: Number.POSITIVE_INFINITY };
  for (const template of pool) {
    for (const verb of template.verbs) {
      const d = editDistance(firstWord, verb);
      if (d < best.distance) best = { template, verb, distance: d };
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Lines

/** Strips list numbering (`1.`, `1)`, `- `, `* `, `• `) from a trimmed line. */
function stripNumbering(line: string): string {
  return line.replace(/^(?:\d+[.)]|[-*•])\s+/, "").trim();
}

function matchForms(masked: string, ctx: Ctx): { form: Form; built: Built } | undefined {
  for (const form of FORMS) {
    const hit = form.re.exec(masked);
    if (hit) return { form, built: form.build(hit.slice(1) as string[], ctx) };
  }
  return undefined;
}

type LineOptions = { assertionOnly?: boolean };

/**
 * Parses one line (already known not to be blank or a comment). `assertionOnly` is for a requirement file's
 * `Expected:` section: only assertion forms count, and the leading "Expect" may be left out.
 */
export function parseStepLine(rawLine: string, line: number, opts: LineOptions = {}): LineResult {
  const text = stripNumbering(rawLine.trim());
  const fail = (reason: string, suggestion?: string): LineResult => ({
    ok: false,
    error: { line, text, reason, ...(suggestion ? { suggestion } : {}) },
  });
  const masked = maskQuotes(text);
  if ("error" in masked) return fail(masked.error, "close the quote, e.g. Fill \"alice\" in the Username field");
  // Whitespace is normalised and one trailing full stop dropped (prose habit), outside quotes only.
  const m: Masked = { quotes: masked.quotes, text: masked.text.replace(/\s+/g, " ").trim().replace(/[.;]$/, "").trim() };
  const ctx: Ctx = { m };

  let found = matchForms(m.text, ctx);
  if (opts.assertionOnly && !found?.form.assertion && !new RegExp(`^${EXPECT}\\b`, "i").test(m.text)) {
    // `Expected: title contains "x"` reads as `Expect title contains "x"`.
    const again = matchForms(`Expect ${m.text}`, ctx);
    if (again?.form.assertion) found = again;
  }
  if (found && opts.assertionOnly && !found.form.assertion) {
    return fail("an Expected: line must be an assertion, not an action", ASSERTION_EXAMPLES.slice(0, 3).join(" · "));
  }
  if (found && isFail(found.built)) {
    const first = (m.text.split(" ")[0] ?? "").toLowerCase();
    const { template } = nearestTemplate(first, !!opts.assertionOnly);
    return fail(found.built.fail, template.examples.join(" · "));
  }
  if (found) {
    const parsed = ZStep.safeParse({ line, text, ...(found.built as object) });
    if (!parsed.success) return fail(`internal: ${parsed.error.issues[0]?.message ?? "invalid step"}`);
    return { ok: true, step: parsed.data };
  }
  return fail(...diagnose(m, ctx, !!opts.assertionOnly));
}

/** Why a line matched no form, and the closest valid form (a corrected line when a typo'd verb was the cause). */
function diagnose(m: Masked, ctx: Ctx, assertionOnly: boolean): [string, string] {
  const words = m.text.split(" ");
  const first = (words[0] ?? "").toLowerCase();
  const exact = (assertionOnly ? TEMPLATES.filter((t) => t.assertion) : TEMPLATES).find((t) => t.verbs.includes(first));
  const repaired = repairLine(m.text, ctx);
  if (exact && repaired) return [repaired.reason, unmask(repaired.line, m, "raw")];
  if (exact) {
    const shown = unmask(m.text, m, "raw");
    const reason = assertionOnly
      ? `"${shown}" is not an assertion this grammar can check`
      : `"${words[0]}" is not followed by a form it accepts (${describeNeeds(first)})`;
    return [reason, exact.examples.join(" · ")];
  }
  const near = nearestTemplate(first, assertionOnly);
  if (near.distance <= Math.max(1, Math.floor(near.verb.length / 3))) {
    // A typo in the verb: suggest the same line with the verb fixed, when that parses.
    const fixedVerb = near.verb[0]!.toUpperCase() + near.verb.slice(1);
    const fixed = [fixedVerb, ...words.slice(1)].join(" ");
    const works = matchForms(fixed, ctx);
    const suggestion = works && !isFail(works.built) ? unmask(fixed, m, "raw") : near.template.examples.join(" · ");
    return [`unknown action "${words[0]}" (did you mean "${near.verb}"?)`, suggestion];
  }
  if (assertionOnly) {
    return [`not an assertion: an Expected: line must be checkable, not prose`, ASSERTION_EXAMPLES.slice(0, 4).join(" · ")];
  }
  return [
    `unknown action "${words[0]}": a step starts with Go to, Fill, Type, Clear, Press, Click, Double-click, Hover, Select, Check, Uncheck, Expand, Collapse, Upload, Switch to, Wait or Expect`,
    near.template.examples.join(" · "),
  ];
}

/** Common slips (a value without quotes, a state without "to be"): the repaired line, when that parses. */
const QUOTES = "the value must be in quotes";
const REPAIRS: [RegExp, (g: string[]) => string, string?][] = [
  [/^((?:fill(?:\s+in)?|enter|input|set)\s+.+?\s+(?:with|to)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [/^((?:fill(?:\s+in)?|enter|input|type)\s+)([^\uE000]+?)(\s+(?:in|into)\s+.+)$/i, ([a, v, b]) => `${a}"${v}"${b}`],
  [/^((?:select|choose|pick)\s+)([^\uE000]+?)(\s+from\s+.+)$/i, ([a, v, b]) => `${a}"${v}"${b}`],
  [/^((?:upload|attach)\s+(?:the\s+)?(?:file\s+)?)([^\uE000\s]+)((?:\s+(?:to|into|in|on|for)\s+.+)?)$/i, ([a, v, b]) => `${a}"${v}"${b}`, "the file name must be in quotes"],
  [/^((?:expect|verify|assert)\s+(?:no\s+)?(?:text|title\s+contains|url\s+contains)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [/^((?:expect|verify|assert)\s+.+?\s+to\s+(?:contain|have\s+value)\s+)([^\uE000]+)$/i, ([a, v]) => `${a}"${v}"`],
  [
    /^((?:expect|verify|assert)\s+.+?)\s+(?:is\s+|are\s+)?(visible|hidden|enabled|disabled|checked|unchecked)$/i,
    ([a, st]) => `${a} to be ${st}`,
    'a state is written "to be visible|hidden|enabled|disabled|checked|unchecked"',
  ],
];
function repairLine(line: string, ctx: Ctx): { line: string; reason: string } | undefined {
  for (const [re, fix, reason] of REPAIRS) {
    const hit = re.exec(line);
    if (!hit) continue;
    const candidate = fix(hit.slice(1) as string[]);
    const masked = maskQuotes(unmask(candidate, ctx.m, "raw"));
    if ("error" in masked) continue;
    const works = matchForms(masked.text, { m: masked });
    if (works && !isFail(works.built)) return { line: candidate, reason: reason ?? QUOTES };
  }
  return undefined;
}

function describeNeeds(verb: string): string {
  switch (verb) {
    case "fill": case "enter": case "input": case "set": return "a quoted value and a field";
    case "type": return "a quoted value and a field";
    case "select": case "choose": case "pick": return 'a quoted option and "from" a dropdown';
    case "go": case "navigate": case "open": case "visit": return "a URL";
    case "wait": return "a duration, an element or text";
    case "press": case "hit": return "a key";
    case "switch": return 'a tab (new, first, previous, last) or "on"/"off" and a switch';
    case "upload": case "attach": return 'a quoted file name, and "to" the field that takes it';
    case "expect": case "verify": case "assert": case "ensure": case "confirm": return "an assertion form";
    default: return "an element";
  }
}

const isSkippable = (line: string) => line.trim() === "" || /^\s*(?:#|\/\/)/.test(line);

/** One step per non-empty, non-comment line (`#` or `//`). All errors are reported, not just the first. */
export function parseSteps(source: string): ParseStepsResult {
  const steps: Step[] = [];
  const errors: StepParseError[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    if (isSkippable(raw)) return;
    const res = parseStepLine(raw, i + 1);
    if (res.ok) steps.push(res.step);
    else errors.push(res.error);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (steps.length === 0) return { ok: false, errors: [{ line: 1, text: "", reason: "there are no steps", suggestion: "Go to https://example.com" }] };
  return { ok: true, steps };
}

// ---------------------------------------------------------------------------------------------------------------
// Structured steps ({action, target, value, within} from JSON/YAML specs) and the canonical text of a step

const ACTION_ALIASES: Record<string, StepAction> = {
  goto: "navigate", open: "navigate", visit: "navigate", refresh: "reload", goback: "back",
  doubleclick: "dblclick", filltext: "fill", typetext: "type", tap: "click", hoverover: "hover",
  selectoption: "select", attach: "upload", uploadfile: "upload", setinputfiles: "upload", sleep: "wait", asserttext: "expectText", asserturl: "expectUrl", asserttitle: "expectTitle",
};

/** `fill`, `Fill`, `double_click`, `wait-for-text` -> StepAction. */
export function readAction(name: string): StepAction | undefined {
  const compact = name.toLowerCase().replace(/[\s_-]+/g, "");
  const direct = (ZStep.shape.action.options as readonly StepAction[]).find((a) => a.toLowerCase() === compact);
  return direct ?? ACTION_ALIASES[compact];
}

/** Parses a target phrase on its own (`the Log in button`, `css:#id`, `"Save" in the Edit dialog`). */
export function parseTargetPhrase(phrase: string, opts: { plural?: boolean } = {}): Target | { error: string } {
  const masked = maskQuotes(phrase.trim());
  if ("error" in masked) return { error: masked.error };
  const t = readTarget(masked.text.replace(/\s+/g, " "), masked, opts);
  return isFail(t) ? { error: t.fail } : t;
}

/** Parses a region phrase (`Login dialog`, `the "Login" dialog`, `row "Alice"`); a bare name means a region. */
export function parseRegionPhrase(phrase: string): Region | { error: string } {
  const masked = maskQuotes(phrase.trim());
  if ("error" in masked) return { error: masked.error };
  const text = masked.text.replace(/\s+/g, " ").trim();
  if (!text) return { error: "the region is empty" };
  return readRegion(text, masked) ?? { name: quotedValue(text, masked) ?? unmask(text, masked, "inner"), kind: "region" };
}

/** What a step of each action must carry; undefined when it is complete. */
export function missingPart(step: Omit<Step, "line" | "text">): string | undefined {
  const needsTarget = ["fill", "clear", "click", "dblclick", "hover", "select", "check", "uncheck", "expand", "collapse", "waitFor", "expectState", "expectValue", "expectContains", "expectCount"];
  if (needsTarget.includes(step.action) && !step.target) return "the element (target) is missing";
  if (step.target && !step.target.name && !step.target.kind && !step.target.override) return "the element (target) is missing";
  const needsValue = ["navigate", "fill", "type", "select", "upload", "waitForText", "expectText", "expectNoText", "expectTitle", "expectUrl", "expectValue", "expectContains"];
  if (needsValue.includes(step.action) && step.value === undefined) return "the value is missing";
  if (step.action === "navigate" && step.value !== undefined) return checkUrl(step.value);
  if (step.action === "press" && !step.key) return "the key is missing";
  if (step.action === "scroll" && !step.target && !SCROLL_PLACES.includes(step.value ?? "")) return `say where to scroll: an element, or one of ${SCROLL_PLACES.join(", ")}`;
  if (step.action === "switchTab" && !TAB_PLACES.includes(step.value ?? "")) return `say which tab to switch to: one of ${TAB_PLACES.join(", ")}`;
  if (step.action === "wait" && step.ms === undefined) return "the duration is missing";
  if (step.action === "expectState" && !step.state) return "the state is missing (visible, hidden, enabled, disabled, checked, unchecked)";
  if (step.action === "expectCount" && step.count === undefined) return "the count is missing";
  return undefined;
}

function quote(s: string): string {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("”")) return `“${s}”`;
  return `'${s}'`;
}
function describeRegion(w: Region): string {
  return w.name ? `the ${quote(w.name)} ${w.kind}` : `the ${w.kind}`;
}
/** A target with a scoped reading (`Add to cart for Hoodie`) keeps its name unquoted, as written, so that it reads
 *  both ways again (its name came from an unquoted phrase, so it parses back the same). */
function describeTarget(t: Target): string {
  const ord = t.ordinal === undefined ? "" : t.ordinal === -1 ? "last " : `${["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"][t.ordinal] ?? `${t.ordinal + 1}th`} `;
  const o = t.override;
  const core = o
    ? o.type === "css" ? `css:${o.selector}` : o.type === "testid" ? `testid:${o.testId}` : `role:${o.role}${o.name ? `=${o.name}` : ""}`
    : [t.scoped ? t.name : quote(t.name), t.kind].filter(Boolean).join(" ");
  const scope = t.within ? ` in ${describeRegion(t.within)}` : "";
  // (A phrase whose type word may be part of the name is written back as it was: unquoted, with no article.)
  if (t.literalHasType && t.literalName && !o) return `${t.literalName}${scope}`;
  return `${o ? ord : `the ${ord}`}${core}${scope}`.trim();
}

/** Canonical English for a step; parseSteps(formatStep(s)) yields the same step (names come back exact). */
export function formatStep(step: Omit<Step, "line" | "text">): string {
  const t = step.target ? describeTarget(step.target) : "";
  const v = quote(step.value ?? "");
  const scope = step.within ? ` in ${describeRegion(step.within)}` : "";
  switch (step.action) {
    case "navigate": return `Go to ${step.value ?? ""}`;
    case "reload": return "Reload the page";
    case "back": return "Go back";
    case "fill": return `Fill ${v} in ${t}`;
    case "type": return step.target ? `Type ${v} into ${t}` : `Type ${v}`;
    case "clear": return `Clear ${t}`;
    case "press": return step.target ? `Press ${step.key} on ${t}` : `Press ${step.key}`;
    case "click": return `Click ${t}`;
    case "dblclick": return `Double-click ${t}`;
    case "hover": return `Hover over ${t}`;
    case "scroll": return step.target ? `Scroll to ${t}` : step.value === "top" || step.value === "bottom" ? `Scroll to the ${step.value}` : `Scroll ${step.value ?? "down"}`;
    case "select": return `Select ${v} from ${t}`;
    case "check": return `Check ${t}`;
    case "uncheck": return `Uncheck ${t}`;
    case "expand": return `Expand ${t}`;
    case "collapse": return `Collapse ${t}`;
    case "upload": return step.target ? `Upload ${v} to ${t}` : `Upload ${v}`;
    case "switchTab": return step.value === "previous" ? "Switch back to the previous tab" : `Switch to the ${step.value ?? "new"} tab`;
    case "closeTab": return "Close the tab";
    case "waitFor": return step.state ? `Wait for ${t} to be ${step.state}` : `Wait for ${t}`;
    case "waitForText": return `Wait for text ${v}${scope}`;
    case "wait": return `Wait ${step.ms ?? 0} ms`;
    case "expectText": return `Expect text ${v}${scope}`;
    case "expectNoText": return `Expect no text ${v}${scope}`;
    case "expectTitle": return `Expect title contains ${v}`;
    case "expectUrl": return `Expect URL contains ${v}`;
    case "expectState": return `Expect ${t} to be ${step.state ?? "visible"}`;
    case "expectValue": return `Expect ${t} to have value ${v}`;
    case "expectContains": return `Expect ${t} to contain ${v}`;
    case "expectCount": return `Expect ${step.count ?? 0} ${t.replace(/^the /, "")}`;
  }
}
