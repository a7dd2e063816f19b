// Multi-attribute element similarity in the style of Similo (Nass et al., "Similarity-based Web Element
// Localization for Robust Test Automation", ACM TOSEM 2023, doi 10.1145/3571855). Pure: fingerprints in,
// ranked scores out, no browser, so it can be unit-tested and benchmarked on recorded data (`pacts score`).
//
// What Similo does: score(T, C) = Σ similarity_i(T.a_i, C.a_i) · w_i over 14 attributes, with
//   w = 1.5 for tag, name, id, visible text, neighbour text and 0.5 for class, href, alt, xpath, idxpath,
//   is_button, location, area, shape;
//   comparison kinds: equal (tag, name, id, is_button), Levenshtein string similarity (class, href, alt,
//   xpath, idxpath, visible text), integer similarity (max − |a − b|) / max (location, area, shape), and
//   neighbour word overlap (neighbour text). The highest-scoring candidate wins, unconditionally.
// (Attribute list and weights checked against the replication code of Kluge & Stocco, "Web Element
// Relocalization in Evolving Web Applications", 2025, LegacySimilo / LegacyComparisons.)
//
// What we change, and why:
// 1. A heal must never pick the wrong element; "no confident match" is an acceptable answer. So we normalise
//    to 0..1 (Σ w·s / Σ w over the attributes that count), and chooseCandidate accepts only above a
//    threshold, with a margin over the runner-up, with enough evidence weight, and with agreement on the
//    element's identity (its name) when the stored fingerprint has one.
// 2. Identity outweighs geometry (the position trap: two fields that swap places). The accessible label,
//    test id, name attribute, placeholder and text each weigh more than ALL structure/position attributes
//    together (xpath, idxpath, location, area, shape, visible: 1.8 in total).
// 3. Volatile tokens (generated ids like input-339, :r1:, ember123, hashed CSS-module classes) carry almost
//    no weight: equal values across versions are luck, different values are expected.
// 4. Human-visible strings (label, text, placeholder, …) are compared after case/whitespace/punctuation
//    normalisation and with a harsher curve than raw Levenshtein, because short labels that share a word
//    ("First name" / "Last name") are 70% Levenshtein-similar yet name different things.
// 5. Missing attributes: absent on the target → skipped (no evidence either way). Absent on the candidate
//    → skipped too, except identity attributes, which count as a mismatch at half weight: the stored element
//    HAD a name and this candidate has none, which is real (if weaker) evidence against it. Without this a
//    bare <div> at the old position would score on geometry alone.
import type { Fingerprint } from "@/domain/fingerprint";
import { compareWords, type WordRelation } from "./words";

// ---------------------------------------------------------------------------------------------------------
// Volatile tokens
// ---------------------------------------------------------------------------------------------------------

/**
 * Patterns of generated identifiers and class names that change between builds or renders. Exported (as
 * sources) so the in-browser capture script (fingerprint-capture.ts) applies the very same rules when it
 * picks a stable id to anchor the idxpath.
 */
export const VOLATILE_PATTERNS: readonly RegExp[] = [
  // React useId (":r1:", "«r1»", "_r_1_"), Radix ("radix-:r2:").
  /(^|[-_])[:«_]r[0-9a-z]{1,6}[:»_]$/i,
  // Framework counters: ember123, ext-gen12 / ext-comp-1001 (ExtJS), yui_3_5_0_1_123, mat-input-0 (Angular
  // Material), mui-12, headlessui-menu-button-3, react-select-2-input, downshift-0-label, el-id-1024-12.
  /^ember\d+$/i,
  /^ext-(gen|comp|element)-?\d+/i,
  /^yui_[\d_]+$/i,
  /^(mat|mui|mdc|cdk|headlessui|react-select|downshift|el-id|rc-tabs|rc-select|chakra|mantine)-.*\d/i,
  // Anything ending in a number of 3+ digits ("input-339", "field_1024", "ctl00_4711"), or all digits.
  /(^|[^0-9])\d{3,}$/,
  /^\d+$/,
  // UUIDs and long hex runs.
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
  /(^|[-_:])[0-9a-f]{10,}($|[-_:])/i,
  // CSS modules "Button_primary__3xYz1", emotion "css-1q2w3e", styled-components "sc-bdVaJa",
  // styled-jsx "jsx-2533462823", JSS "makeStyles-root-12".
  /__[A-Za-z0-9_-]{5,}$/,
  /^css-[a-z0-9]{4,}(-|$)/i,
  /^sc-[A-Za-z]{5,}$/,
  /^jsx-\d+$/,
  /^(makeStyles|jss)[A-Za-z-]*-\d+$/,
  // A segment of 5+ alphanumerics mixing letters with 2+ digits ("a1b2c3", "x9k2p"): a hash, not a word.
  /(^|[-_:])(?=[a-z0-9]*\d[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{5,}($|[-_:])/i,
];

/** True when a token (id, name, class token) looks generated rather than written by a person. */
export function isVolatileToken(s: string | undefined | null): boolean {
  if (s === undefined || s === null) return false;
  const t = s.trim();
  if (t === "") return false;
  return VOLATILE_PATTERNS.some((re) => re.test(t));
}

// ---------------------------------------------------------------------------------------------------------
// Primitive similarities (all return 0..1)
// ---------------------------------------------------------------------------------------------------------

/** Levenshtein edit distance, two-row dynamic programme. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Similo's string similarity: (longer − distance) / longer, case-insensitive. */
export function stringSimilarity(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 1;
  const longer = Math.max(s.length, t.length);
  return longer === 0 ? 1 : (longer - levenshtein(s, t)) / longer;
}

/** Case, accents, whitespace and trailing decoration ("Email *", "Name:") do not change what a label says. */
export function normalizeText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s:*•.…?!]+$/u, "")
    .trim();
}

/**
 * Similarity of human-visible names (label, text, placeholder, …), on the one word measure (words.ts): equal after
 * normalisation → 1; the same words once function words, a leading instruction and inflections are set aside
 * ("Comment:" / "Comments", "What is your name?" / "Your name?") → 0.95, reordered → 0.9; one name's words all in
 * the other ("Email" / "Email address") → 0.6..0.9 by how much of the longer one the shorter covers. Otherwise
 * (words swapped or negated: "First name" / "Last name", "Subscribe" / "Unsubscribe") a squared rescale of the
 * Levenshtein ratio from [0.5, 1] to [0, 1], so "First name" vs "Last name" (0.7) gives 0.16 and unrelated words 0.
 */
export function nameSimilarity(a: string, b: string): number {
  const s = normalizeText(a);
  const t = normalizeText(b);
  if (s === t) return 1;
  const w = compareWords(s, t);
  if (w.relation === "same") return 0.95;
  if (NAME_RELATIONS.has(w.relation)) return w.score;
  const lev = stringSimilarity(s, t);
  if (lev <= 0.5) return 0;
  const r = (lev - 0.5) / 0.5;
  return r * r;
}

/** The word relations that score a name by the word measure; the rest (a word swapped or negated) by spelling. */
const NAME_RELATIONS: ReadonlySet<WordRelation> = new Set<WordRelation>(["same-words", "reordered", "fewer", "more"]);

/** Similo's integer similarity: (max − |a − b|) / max, for non-negative magnitudes (area, shape). */
export function ratioSimilarity(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const max = Math.max(x, y);
  if (max === 0) return 1;
  return (max - Math.abs(x - y)) / max;
}

/**
 * Location: Similo compares x and y with the integer similarity, which depends on where the origin is (10px
 * vs 20px is "50% similar", 1000 vs 1010 is 99%). We decay with the Euclidean distance instead: 1 at the same
 * spot, ~0.5 at 100px, ~0.25 at 200px.
 */
export function locationSimilarity(ax: number, ay: number, bx: number, by: number): number {
  const d = Math.hypot(ax - bx, ay - by);
  return Math.exp(-d / 144);
}

const WORD_RE = /[\p{L}\p{N}]+/gu;
function wordsOf(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (const w of normalizeText(t).match(WORD_RE) ?? []) out.add(w);
  return out;
}

/** Neighbour word overlap (Similo's neighbour_text): Dice coefficient of the two word sets. */
export function wordOverlap(a: readonly string[], b: readonly string[]): number {
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  if (wa.size === 0 && wb.size === 0) return 1;
  if (wa.size === 0 || wb.size === 0) return 0;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return (2 * common) / (wa.size + wb.size);
}

/** Class lists: Jaccard of the non-volatile tokens (Similo uses Levenshtein on the whole string). */
function stableClassTokens(cls: string): Set<string> {
  return new Set(cls.split(/\s+/).filter((t) => t !== "" && !isVolatileToken(t)));
}

// ---------------------------------------------------------------------------------------------------------
// Attributes, weights and families
// ---------------------------------------------------------------------------------------------------------

/** The attributes the scorer compares (location stands for x+y; width/height are covered by area+shape). */
export const SCORED_ATTRIBUTES = [
  "testId", "label", "name", "placeholder", "text", "value", "title", "alt", "id", "role", "tag", "type",
  "href", "class", "neighborText", "xpath", "idxpath", "location", "area", "shape", "visible",
] as const;
export type ScoredAttribute = (typeof SCORED_ATTRIBUTES)[number];

/**
 * Default weights. Identity attributes (what the element IS, as a user or a test author names it) weigh
 * most; structure and position (where it happens to be) weigh least, together 1.8 — less than the label
 * alone, so a field that moved keeps its name and a field that took its place does not inherit it.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<ScoredAttribute, number>> = {
  // Written for tests, survives redesigns; when equal it is close to proof. Not in Similo.
  testId: 3,
  // Accessible label (label[for], wrapping label, aria-label, aria-labelledby): what the step text names
  // ("the Username field"), and it survives markup changes (label → aria-label). Not in Similo.
  label: 2.5,
  // Form field name: posted to the server, so it rarely changes. Similo: 1.5 — we raise it to 2 because
  // our steps address form fields most. Volatile names drop to VOLATILE_WEIGHT.
  name: 2,
  // Placeholder: user-visible, usually stable, but sometimes decorative ("e.g. jane@…"). Not in Similo.
  placeholder: 1.5,
  // Visible text: Similo 1.5, kept.
  text: 1.5,
  // Caption of button-like inputs and the value of checkboxes/radios: identity, but less often present.
  value: 1,
  // Title / alt: tooltips and image descriptions, visible names of icon buttons. Similo alt: 0.5; we raise
  // both to 1 because for icon-only controls they are the only name there is.
  title: 1,
  alt: 1,
  // id: Similo 1.5 (equality). Kept for hand-written ids; generated ids drop to VOLATILE_WEIGHT.
  id: 1.5,
  // Role and tag say what kind of control it is; every field of a form shares them, so they barely
  // discriminate while inflating look-alike scores. Similo tag: 1.5 → 1.
  role: 1,
  tag: 1,
  // type (text / password / email / submit): cheap and stable kind information. Not in Similo.
  type: 1,
  // href: Similo 0.5, kept; links change query strings and locales.
  href: 0.5,
  // class: Similo 0.5, kept, but compared on stable tokens only (hashed classes removed).
  class: 0.5,
  // Neighbour texts: Similo 1.5 → 1, because they are partly positional: when two fields swap places each
  // inherits the other's surroundings.
  neighborText: 1,
  // Structure and position: Similo 0.5 each; lowered so that together (1.8) they lose to any one name.
  xpath: 0.4,
  idxpath: 0.4,
  location: 0.4,
  area: 0.2,
  shape: 0.2,
  // Every candidate we score is normally visible, so this says little. Similo has no such attribute
  // (it had is_button, which tag/role/type cover).
  visible: 0.2,
};

/** Weight of id/name when either side's value looks generated: present, but nearly meaningless. */
export const VOLATILE_WEIGHT = 0.2;

/**
 * Identity attributes: names of the element. When the target has one and the candidate lacks it, that
 * counts as a mismatch at MISSING_IDENTITY_FACTOR of its weight, and chooseCandidate requires the winner to
 * agree with the target on these (see minIdentity).
 */
export const IDENTITY_ATTRIBUTES: ReadonlySet<ScoredAttribute> = new Set<ScoredAttribute>([
  "testId", "label", "name", "placeholder", "text", "value", "title", "alt",
]);
export const MISSING_IDENTITY_FACTOR = 0.5;

// ---------------------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------------------

export type AttributeScore = { weight: number; similarity: number; missingOnCandidate?: true };

export type ScoredCandidate = {
  /** Index into the candidates array. */
  index: number;
  /** Σ weight·similarity / Σ weight over the attributes that counted, 0..1 (0 when nothing counted). */
  score: number;
  /** Σ weight of the attributes that counted: how much evidence the score rests on. */
  evidenceWeight: number;
  /** The same normalised score restricted to IDENTITY_ATTRIBUTES; null when none counted. */
  identityScore: number | null;
  identityWeight: number;
  breakdown: Partial<Record<ScoredAttribute, AttributeScore>>;
};

export type ScoreOptions = { weights?: Partial<Record<ScoredAttribute, number>> };

type Comparison = { similarity: number; weight: number } | "missing-target" | "missing-candidate";

/** The accessible label, falling back to the raw aria-label for recorded data that lacks a computed label. */
const labelOf = (f: Fingerprint): string | undefined => f.label ?? f.ariaLabel;
const hasBox = (f: Fingerprint): boolean => f.x !== undefined && f.y !== undefined;
const areaOf = (f: Fingerprint): number | undefined =>
  f.area ?? (f.width !== undefined && f.height !== undefined ? f.width * f.height : undefined);
const shapeOf = (f: Fingerprint): number | undefined =>
  f.shape ?? (f.width !== undefined && f.height !== undefined && f.height > 0 ? f.width / f.height : undefined);

function compareText(
  t: string | undefined,
  c: string | undefined,
  weight: number,
  sim: (a: string, b: string) => number,
): Comparison {
  if (t === undefined) return "missing-target";
  if (c === undefined) return "missing-candidate";
  return { similarity: sim(t, c), weight };
}

const equalCi = (a: string, b: string): number => (a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0);

/** Equality of tokens that may be generated: generated on either side → VOLATILE_WEIGHT. */
function compareToken(t: string | undefined, c: string | undefined, weight: number): Comparison {
  if (t === undefined) return "missing-target";
  if (c === undefined) return "missing-candidate";
  const w = isVolatileToken(t) || isVolatileToken(c) ? Math.min(weight, VOLATILE_WEIGHT) : weight;
  return { similarity: t === c ? 1 : 0, weight: w };
}

function compareNumber(t: number | undefined, c: number | undefined, weight: number): Comparison {
  if (t === undefined) return "missing-target";
  if (c === undefined) return "missing-candidate";
  return { similarity: ratioSimilarity(t, c), weight };
}

function compareAttribute(attr: ScoredAttribute, t: Fingerprint, c: Fingerprint, w: number): Comparison {
  switch (attr) {
    case "testId":
      return compareText(t.testId, c.testId, w, (a, b) => (a === b ? 1 : 0));
    case "label":
      return compareText(labelOf(t), labelOf(c), w, nameSimilarity);
    case "name":
      return compareToken(t.name, c.name, w);
    case "id":
      return compareToken(t.id, c.id, w);
    case "placeholder":
    case "text":
    case "value":
    case "title":
    case "alt":
      return compareText(t[attr], c[attr], w, nameSimilarity);
    case "role":
    case "tag":
    case "type":
      return compareText(t[attr], c[attr], w, equalCi);
    case "href":
    case "xpath":
    case "idxpath":
      return compareText(t[attr], c[attr], w, stringSimilarity);
    case "class": {
      if (t.class === undefined) return "missing-target";
      if (c.class === undefined) return "missing-candidate";
      const a = stableClassTokens(t.class);
      const b = stableClassTokens(c.class);
      // Only hashed classes on the target: nothing stable to compare.
      if (a.size === 0) return "missing-target";
      let common = 0;
      for (const x of a) if (b.has(x)) common++;
      return { similarity: common / (a.size + b.size - common), weight: w };
    }
    case "neighborText":
      if (t.neighborText === undefined) return "missing-target";
      if (c.neighborText === undefined) return "missing-candidate";
      return { similarity: wordOverlap(t.neighborText, c.neighborText), weight: w };
    case "location":
      if (!hasBox(t)) return "missing-target";
      if (!hasBox(c)) return "missing-candidate";
      return { similarity: locationSimilarity(t.x!, t.y!, c.x!, c.y!), weight: w };
    case "area":
      return compareNumber(areaOf(t), areaOf(c), w);
    case "shape":
      return compareNumber(shapeOf(t), shapeOf(c), w);
    case "visible":
      if (t.visible === undefined) return "missing-target";
      if (c.visible === undefined) return "missing-candidate";
      return { similarity: t.visible === c.visible ? 1 : 0, weight: w };
  }
}

/** Score one candidate against the target. */
export function scoreFingerprint(target: Fingerprint, candidate: Fingerprint, opts: ScoreOptions = {}): Omit<ScoredCandidate, "index"> {
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const breakdown: Partial<Record<ScoredAttribute, AttributeScore>> = {};
  let sum = 0;
  let total = 0;
  let idSum = 0;
  let idTotal = 0;
  for (const attr of SCORED_ATTRIBUTES) {
    const w = weights[attr];
    if (!(w > 0)) continue;
    const cmp = compareAttribute(attr, target, candidate, w);
    if (cmp === "missing-target") continue;
    let entry: AttributeScore;
    if (cmp === "missing-candidate") {
      if (!IDENTITY_ATTRIBUTES.has(attr)) continue;
      entry = { weight: w * MISSING_IDENTITY_FACTOR, similarity: 0, missingOnCandidate: true };
    } else {
      entry = cmp;
    }
    breakdown[attr] = entry;
    sum += entry.weight * entry.similarity;
    total += entry.weight;
    if (IDENTITY_ATTRIBUTES.has(attr)) {
      idSum += entry.weight * entry.similarity;
      idTotal += entry.weight;
    }
  }
  return {
    score: total > 0 ? sum / total : 0,
    evidenceWeight: total,
    identityScore: idTotal > 0 ? idSum / idTotal : null,
    identityWeight: idTotal,
    breakdown,
  };
}

/**
 * Score every candidate against the stored target fingerprint, best first. Ties keep input order (stable
 * sort) — chooseCandidate refuses ties anyway.
 */
export function scoreCandidates(target: Fingerprint, candidates: readonly Fingerprint[], opts: ScoreOptions = {}): ScoredCandidate[] {
  return candidates
    .map((c, index) => ({ index, ...scoreFingerprint(target, c, opts) }))
    .sort((a, b) => b.score - a.score);
}

// ---------------------------------------------------------------------------------------------------------
// Decision
// ---------------------------------------------------------------------------------------------------------

export type ChooseOptions = ScoreOptions & {
  /** Minimum normalised score of the winner. */
  threshold?: number;
  /** Minimum lead of the winner over the runner-up (absolute score difference). */
  margin?: number;
  /** Minimum evidence weight behind the winner's score: a perfect match on two cheap attributes is no match. */
  minEvidence?: number;
  /** When the target has identity attributes, the winner's identity score must reach this. */
  minIdentity?: number;
};

/**
 * Defaults, tuned on the unit table and the capture integration tests:
 * - threshold 0.6: a renamed-id/class element keeps ~0.8+; a look-alike sharing only tag/class/position
 *   stays below ~0.5.
 * - margin 0.1: two candidates within 0.1 are not told apart by this evidence — refuse rather than guess.
 * - minEvidence 2.5: at least, e.g., a label plus something else.
 * - minIdentity 0.5: the element must still be called (roughly) what it was called.
 */
export const DEFAULT_CHOOSE_OPTIONS = { threshold: 0.6, margin: 0.1, minEvidence: 2.5, minIdentity: 0.5 } as const;

export type ChooseResult = {
  /** Index of the chosen candidate, or -1 for "no confident match". */
  index: number;
  /** Score of the best candidate (chosen or not); 0 when there are none. */
  score: number;
  /** Score of the second-best candidate; null when there is only one. */
  runnerUp: number | null;
  reason: string;
  ranked: ScoredCandidate[];
};

/**
 * Pick the candidate that is the stored element, or -1. Accepts only when the best candidate
 * (1) rests on at least minEvidence weight, (2) agrees on identity when the target has one,
 * (3) scores at least threshold and (4) leads the runner-up by at least margin.
 */
export function chooseCandidate(target: Fingerprint, candidates: readonly Fingerprint[], opts: ChooseOptions = {}): ChooseResult {
  const o = { ...DEFAULT_CHOOSE_OPTIONS, ...opts };
  const ranked = scoreCandidates(target, candidates, opts);
  const best = ranked[0];
  if (!best) return { index: -1, score: 0, runnerUp: null, reason: "no candidates", ranked };
  const second = ranked[1];
  const runnerUp = second ? second.score : null;
  const reject = (reason: string): ChooseResult => ({ index: -1, score: best.score, runnerUp, reason, ranked });
  const f = (n: number) => n.toFixed(3);

  if (best.evidenceWeight < o.minEvidence) {
    return reject(`insufficient evidence: weight ${f(best.evidenceWeight)} < ${o.minEvidence}`);
  }
  if (best.identityScore !== null && best.identityScore < o.minIdentity) {
    return reject(`identity mismatch: identity score ${f(best.identityScore)} < ${o.minIdentity}`);
  }
  if (best.score < o.threshold) return reject(`below threshold: ${f(best.score)} < ${o.threshold}`);
  if (runnerUp !== null && best.score - runnerUp < o.margin) {
    return reject(`ambiguous: lead ${f(best.score - runnerUp)} over runner-up < margin ${o.margin}`);
  }
  return { index: best.index, score: best.score, runnerUp, reason: "accepted", ranked };
}
