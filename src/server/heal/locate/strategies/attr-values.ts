// Helpers for the attribute strategies (test-id, name, id, class): list the values an attribute takes in scope
// (Playwright's css engine pierces open shadow roots), and compare them to what the step calls the element.
import type { Fingerprint } from "@/domain/fingerprint";
import { isVolatileToken } from "../../fingerprint/similarity";
import type { Scope } from "./types";

/** Lower-case letters and digits only: "User name", "user-name", "userName" and "user_name" all become "username". */
export const squash = (s: string): string => s.normalize("NFKD").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/** Distinct values of `attr` on elements in scope, capped so a huge page costs one bounded round trip. */
export async function attrValues(scope: Scope, attr: string, max = 500): Promise<string[]> {
  const values = await scope
    .locator(`[${attr}]`)
    .evaluateAll((els, a) => els.slice(0, 2000).map((e) => e.getAttribute(a) ?? ""), attr)
    .catch(() => [] as string[]);
  return [...new Set(values.filter((v) => v.trim() !== ""))].slice(0, max);
}

/**
 * Values that name the target: equal to the step's name once squashed ("Username" ~ data-testid="user-name"),
 * or equal to the value the stored fingerprint had (a heal re-probe). Volatile values never qualify.
 */
export function matchingValues(values: string[], name: string, hinted: (string | undefined)[]): string[] {
  const want = squash(name);
  const hints = new Set(hinted.filter((h): h is string => !!h));
  return values.filter((v) => !isVolatileToken(v) && ((want.length >= 2 && squash(v) === want) || hints.has(v)));
}

export function hintOf(hint: Fingerprint | undefined, key: keyof Fingerprint): string | undefined {
  const v = hint?.[key];
  return typeof v === "string" ? v : undefined;
}
