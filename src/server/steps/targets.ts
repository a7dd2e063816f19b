// Target phrases of the step grammar, read right to left: scope suffix, "the", ordinal, override, kind word.
import { type ElementKind, type Override, type Region, type ScopedReading, type Target } from "@/domain/step";
import { QP, quotedValue, type Masked, unmask } from "./quotes";
import { KIND_ALT, KIND_ALT_PLURAL, ORDINAL_RE, ORDINAL_WORDS, REGION_ALT, REGION_WORDS, kindOf } from "./vocabulary";

export type Fail = { fail: string };
export const isFail = (x: unknown): x is Fail => typeof x === "object" && x !== null && "fail" in x;

/** `Login dialog`, `"Login" dialog`, `dialog "Login"`, `dialog` -> Region, or undefined. */
export function readRegion(phrase: string, m: Masked): Region | undefined {
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
export function splitScope(phrase: string, m: Masked): { rest: string; within: Region } | undefined {
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
export function splitForScope(phrase: string, m: Masked): { rest: string; within: Region } | undefined {
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

export function readOverride(raw: string): Override | Fail | undefined {
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
export function readTarget(phrase: string, m: Masked, opts: { plural?: boolean; noFor?: boolean } = {}): Target | Fail {
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
