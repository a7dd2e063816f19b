// Quote masking for the step grammar: quoted parts become placeholders before any form is matched, so no keyword
// inside a quoted value or name is ever read as grammar (step-parser.ts explains the whole reading).

export const OPEN = "\uE000";
export const CLOSE = "\uE001";
/** A whole placeholder, captured. */
export const QP = `(${OPEN}\\d+${CLOSE})`;
export const ONLY_PLACEHOLDER = new RegExp(`^${OPEN}(\\d+)${CLOSE}$`);
export const ANY_PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");

export type Quote = { inner: string; raw: string };
export type Masked = { text: string; quotes: Quote[] };

export const PAIRS: Record<string, string[]> = { '"': ['"', "”"], "“": ["”", '"'], "‘": ["’"], "'": ["'"] };

/**
 * Replaces quoted parts with placeholders. Returns a reason when a double quote is never closed. Curly quotes
 * inside a straight-quoted value are text (`Expect text "1 post moved to the Trash. “Roadmap”"`, CMS messages
 * quote titles so): a “…” pair nests, and a lone ” closes the value only when the rest of the line then reads.
 */
export function maskQuotes(line: string): Masked | { error: string } {
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
export function closingAt(line: string, open: number, closers: string[]): number[] {
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
export function unmask(s: string, m: Masked, mode: "raw" | "inner"): string {
  return s.replace(ANY_PLACEHOLDER, (_w, idx: string) => {
    const q = m.quotes[Number(idx)] as Quote;
    return mode === "raw" ? q.raw : q.inner;
  });
}

/** The quoted value of a phrase that is exactly one placeholder, else undefined. */
export function quotedValue(s: string, m: Masked): string | undefined {
  const hit = ONLY_PLACEHOLDER.exec(s.trim());
  return hit ? (m.quotes[Number(hit[1])] as Quote).inner : undefined;
}
