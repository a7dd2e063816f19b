// Word evidence that reads like a person (issue 20 §1): ONE normaliser and ONE word-overlap measure, used by
// discovery (the words strategy), the identity gate (similarity.ts nameSimilarity) and the evidence rules
// (verify.ts), with every weight in WORD_RELATION_SCORES. Pure: strings in, a relation and a score out.
//
// What a person ignores when comparing two names: case, accents, punctuation and decoration ("Comment:",
// "Email *"), hyphens inside a word ("e-mail"), function words ("What is your name?" / "Your name?"), a leading
// instruction ("Click here to download" / "Download", "Please enter your email" / "Email"), word order
// ("Name of company" / "Company name" is reordered) and inflection (comment/comments, complete/completed,
// register/registration). What a person does NOT ignore: a word added to a name ("Password hint" is not
// Password, "Save draft" is not Save), a word swapped for another ("Export XLSX" is not Export CSV), a negation
// ("Unsubscribe" is not Subscribe). Those get their own relations so each rule can decide what it accepts.

import { stemmer } from "stemmer";

/** How two names relate, most to least alike. */
export type WordRelation =
  /** Equal after case, accents, spaces and punctuation ("Log in" / "Login", "Comment:" / "comment"). */
  | "same"
  /** The same content words in the same order once function words, leading verbs and inflections are dropped. */
  | "same-words"
  /** The same content words in another order. */
  | "reordered"
  /** Every content word of the name is among the step's, which has more ("Click here to download" → "Download"). */
  | "fewer"
  /** Every content word of the step is in the name, which has more ("Password" → "Password hint"). */
  | "more"
  /** A word of one is a negated word of the other ("Subscribe" / "Unsubscribe", "Select all" / "Deselect all"). */
  | "negated"
  /** Some words shared, others differ on both sides ("Export CSV" / "Export XLSX"). */
  | "overlap"
  /** No content word in common. */
  | "none";

/**
 * The one table of weights (0..1). fewer/more add up to 0.3 by how much of the longer name the shorter covers;
 * overlap is scaled by the Dice coefficient of the two word sets.
 */
export const WORD_RELATION_SCORES = {
  same: 1,
  "same-words": 0.95,
  reordered: 0.9,
  /** base + span · (shorter / longer) */
  fewer: { base: 0.6, span: 0.3 },
  more: { base: 0.6, span: 0.3 },
  overlap: 0.5,
  negated: 0,
  none: 0,
} as const;

/** Relations under which a name still says what the step says (nothing added, nothing swapped). */
export const SAYS_THE_SAME: ReadonlySet<WordRelation> = new Set<WordRelation>(["same", "same-words", "reordered"]);
/** Relations under which the step's words are all in the name ("Proceed to checkout" holds "checkout"). */
export const HOLDS_THE_WORDS: ReadonlySet<WordRelation> = new Set<WordRelation>([...SAYS_THE_SAME, "more"]);
/** Relations under which every word of the name is in the step: a shortened name, not another thing. */
export const WITHIN_THE_WORDS: ReadonlySet<WordRelation> = new Set<WordRelation>([...SAYS_THE_SAME, "fewer"]);

/** Words a name can gain or lose without naming something else. Not in/out/on/off/up/down/all/no/new: "Log in"
 *  and "Log out", "Select all" and "Select" name different controls. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "the", "to", "of", "for", "here", "please", "your", "my", "our", "is", "are", "what", "whats",
  "this", "that", "and", "with", "by", "at", "from", "be", "you", "me", "us", "its", "it", "now", "e", "g", "eg",
]);
/** Instructions a name may start with: dropped only at the start and only when words remain after them. */
const LEADING_VERBS: ReadonlySet<string> = new Set(["click", "tap", "press", "hit", "enter", "type", "choose", "pick", "please"]);
const NEGATIONS = ["un", "dis", "non", "de"];

/** Lower case, no accents, hyphens inside a word dropped when one side is a single letter ("e-mail" → email),
 *  else read as a space; the words, in order. */
export function wordsOf(s: string): string[] {
  const t = s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\b(\p{L})[-‐‑](\p{L}{2,})/gu, "$1$2");
  return t.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A word's Porter stem ("comments" → comment, "completed" → complet, "registration" → registr, "shipping" →
 * ship); numbers and short words as they are. Compared with stemsMatch, which also lets one stem be a short
 * extension of the other (regist / registr). */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  return stemmer(w);
}

/** Two stems are one word: equal, or one a short extension of a stem of 5+ letters (regist / registr). */
export function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.length - short.length <= 3 && long.startsWith(short);
}

/** The words that carry a name's meaning, stemmed, in order: without a leading instruction and function words
 * (all of them kept when nothing else is left: "Click here" stays a name). Two adjacent words that make up one
 * word of `joinFor` are read as that word ("User name" against "Username"). */
export function contentStems(s: string, joinFor: readonly string[] = []): string[] {
  const all = joinCompounds(wordsOf(s), new Set(joinFor));
  let words = all;
  while (words.length > 1 && LEADING_VERBS.has(words[0]!)) words = words.slice(1);
  const content = words.filter((w) => !FUNCTION_WORDS.has(w));
  return (content.length > 0 ? content : all).map(stem);
}

function joinCompounds(words: string[], other: ReadonlySet<string>): string[] {
  if (other.size === 0) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = words[i]! + (words[i + 1] ?? "");
    if (i + 1 < words.length && other.has(pair)) {
      out.push(pair);
      i++;
    } else out.push(words[i]!);
  }
  return out;
}

/** Letters and digits only, any case: "Log in" = "Login" = "log-in". */
const squash = (s: string): string => wordsOf(s).join("");

function negates(a: string, b: string): boolean {
  return NEGATIONS.some((p) => (a.startsWith(p) && stemsMatch(a.slice(p.length), b)) || (b.startsWith(p) && stemsMatch(b.slice(p.length), a)));
}

export type WordMatch = { relation: WordRelation; score: number };

/**
 * How a name compares with the words a step uses for it (or with another name). Symmetric except for fewer/more:
 * "fewer" means `name` has fewer content words than `words`.
 */
export function compareWords(words: string, name: string): WordMatch {
  const sa = squash(words);
  const sb = squash(name);
  if (sa === "" || sb === "") return { relation: "none", score: 0 };
  if (sa === sb) return { relation: "same", score: WORD_RELATION_SCORES.same };
  const a = contentStems(words, wordsOf(name));
  const b = contentStems(name, wordsOf(words));
  const used = new Set<number>();
  let common = 0;
  for (const w of a) {
    const j = b.findIndex((x, i) => !used.has(i) && stemsMatch(w, x));
    if (j >= 0) {
      used.add(j);
      common++;
    }
  }
  if (common === a.length && common === b.length) {
    const inOrder = a.every((w, i) => stemsMatch(w, b[i]!));
    return inOrder ? { relation: "same-words", score: WORD_RELATION_SCORES["same-words"] } : { relation: "reordered", score: WORD_RELATION_SCORES.reordered };
  }
  if (a.some((x) => b.some((y) => negates(x, y)))) return { relation: "negated", score: WORD_RELATION_SCORES.negated };
  if (common === b.length) return { relation: "fewer", score: WORD_RELATION_SCORES.fewer.base + WORD_RELATION_SCORES.fewer.span * (b.length / a.length) };
  if (common === a.length) return { relation: "more", score: WORD_RELATION_SCORES.more.base + WORD_RELATION_SCORES.more.span * (a.length / b.length) };
  if (common > 0) return { relation: "overlap", score: WORD_RELATION_SCORES.overlap * ((2 * common) / (a.length + b.length)) };
  return { relation: "none", score: 0 };
}

/** The relation of the best of several names an element carries (label, placeholder, text, …). */
export function bestMatch(words: string, names: readonly (string | undefined)[]): WordMatch & { name?: string } {
  let best: WordMatch & { name?: string } = { relation: "none", score: 0 };
  for (const n of names) {
    if (!n?.trim()) continue;
    const m = compareWords(words, n);
    if (m.score > best.score) best = { ...m, name: n };
  }
  return best;
}

/** Every content word of `name` is, stemmed, among the words of `text` ("Shipping" in "Ship to a different
 * address?"). */
export function holdsStems(text: string, name: string): boolean {
  const want = contentStems(name);
  const have = wordsOf(text).map(stem);
  return want.length > 0 && want.every((w) => have.some((h) => stemsMatch(w, h)));
}
