// Values of the step grammar: durations, URLs, element states.
import { type ElementState } from "@/domain/step";

/** `2 seconds`, `500 ms`, `1.5s`, `1 minute` -> milliseconds. */
export function readDuration(amount: string, unit: string): number {
  const n = Number.parseFloat(amount);
  const u = unit.toLowerCase();
  const factor = /^(ms|millis|milliseconds?)$/.test(u) ? 1 : /^(m|mins?|minutes?)$/.test(u) ? 60_000 : 1000;
  return Math.round(n * factor);
}
export const MAX_WAIT_MS = 5 * 60_000;

export function checkUrl(url: string): string | undefined {
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

export const STATE_WORDS: Record<string, ElementState> = {
  visible: "visible", shown: "visible", displayed: "visible", present: "visible",
  hidden: "hidden", invisible: "hidden", "not visible": "hidden", "not shown": "hidden", "not displayed": "hidden",
  enabled: "enabled", "not disabled": "enabled", disabled: "disabled", "not enabled": "disabled",
  checked: "checked", selected: "checked", unchecked: "unchecked", "not checked": "unchecked", "not selected": "unchecked",
};
export const STATE_ALT = Object.keys(STATE_WORDS).sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, "\\s+")).join("|");
export const stateOf = (w: string) => STATE_WORDS[w.toLowerCase().replace(/\s+/g, " ")]!;
