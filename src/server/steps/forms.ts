// The step grammar's forms, in the order a line is matched against them: one regular expression and one builder each.
import { type ElementKind, type Step, type StepAction, type Target } from "@/domain/step";
import { QP, quotedValue, type Masked, unmask } from "./quotes";
import { isFail, readRegion, readTarget, splitScope, type Fail } from "./targets";
import { MAX_WAIT_MS, STATE_ALT, checkUrl, readDuration, stateOf } from "./values";
import { NUMBER_WORDS, normalizeKey } from "./vocabulary";

export type Ctx = { m: Masked };
export type Built = Omit<Step, "line" | "text"> | Fail;
export type Form = { re: RegExp; assertion?: boolean; build: (g: string[], ctx: Ctx) => Built };

export const EXPECT = "(?:expect|verify|assert|ensure|confirm|check\\s+that)(?:\\s+that)?";
export const r = (src: string) => new RegExp(`^${src}$`, "i");

/** Build helpers: the element a step acts on, or a failure naming what is missing. */
export function target(phrase: string | undefined, ctx: Ctx, what: string, opts?: { plural?: boolean }): Target | Fail {
  if (!phrase || !phrase.trim()) return { fail: `missing ${what}` };
  const t = readTarget(phrase, ctx.m, opts);
  if (isFail(t)) return { fail: `${t.fail} (${what})` };
  return t;
}
export function withTarget(action: StepAction, phrase: string | undefined, ctx: Ctx, what: string, extra: Partial<Step> = {}, kind?: ElementKind): Built {
  const t = target(phrase, ctx, what);
  return isFail(t) ? t : { action, target: kind && !t.kind && !t.override ? { ...t, kind } : t, ...extra };
}
export const valueOf = (ph: string, ctx: Ctx) => quotedValue(ph, ctx.m) as string;

/** A text step (no element) may be bounded by a region: `Expect text "x" in the Users section`. */
export function textStep(action: StepAction, ph: string, scope: string | undefined, ctx: Ctx): Built {
  const step: Omit<Step, "line" | "text"> = { action, value: valueOf(ph, ctx) };
  if (scope) {
    const region = readRegion(scope, ctx.m);
    if (!region) return { fail: `"${unmask(scope, ctx.m, "raw")}" is not a region (section, dialog, form, row, region, frame, header, footer, navigation, sidebar, main content)` };
    step.within = region;
  }
  return step;
}
export const SCOPE_TAIL = `(?:\\s+(?:in|inside|within)\\s+(.+))?`;

/** Words after a disclosure's name that say what it is, not what it is called ("the Shipping section"). */
export const EXPAND_WORDS = "accordion(?:\\s+(?:item|section|panel))?|section|panel|details|disclosure|collapsible|expander|node";
/** With Open/Close only these say a disclosure is meant ("Close the panel" may well be a drawer's × button). */
export const OPEN_WORDS = "accordion(?:\\s+(?:item|section|panel))?|section|details|disclosure|collapsible|expander";

/**
 * `Expand the Shipping section`, `Collapse FAQ`, `Open the Returns accordion in the Help dialog`: the control named
 * X, its disclosure word dropped from the name (a scope suffix stays a scope). `needWord`: the form is only a
 * disclosure when the word is there (Open/Close).
 */
export function disclosureStep(action: "expand" | "collapse", phrase: string, ctx: Ctx, words: string, needWord: boolean): Built {
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
export function uploadStep(v: string, phrase: string | undefined, ctx: Ctx): Built {
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
export const TAB_WORDS: Record<string, string> = {
  new: "new", "newly opened": "new", first: "first", original: "first", main: "first", previous: "previous", last: "last", latest: "last",
};

export const FORMS: Form[] = [
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
