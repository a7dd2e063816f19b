// Where a user lands after signing in: only a path on this site. Browsers read `\` as `/`, strip tabs and
// newlines, and take `//host` as another origin, so `/\evil.example`, `//evil.example` and `/\t/evil.example` are
// all other sites; the URL parser is the judge, with nothing but a path accepted as input.
const BASE = "http://pacts.invalid";

export const DEFAULT_CALLBACK = "/tests";

export function safeCallbackPath(raw: unknown, fallback = DEFAULT_CALLBACK): string {
  if (typeof raw !== "string" || raw.length > 2000) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let u: URL;
  try {
    u = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE) return fallback;
  // Back to the login page (a loop) or into next-auth's own routes is no destination.
  if (/^\/(login|api\/auth)(\/|$)/.test(u.pathname)) return fallback;
  return `${u.pathname}${u.search}${u.hash}`;
}

/** next-auth's redirect callback: same-origin URLs (as paths) and paths only. */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  if (url.startsWith("/")) return new URL(safeCallbackPath(url), baseUrl).toString();
  try {
    const u = new URL(url);
    if (u.origin === new URL(baseUrl).origin) return new URL(safeCallbackPath(`${u.pathname}${u.search}${u.hash}`), baseUrl).toString();
  } catch {
    // not a URL: the default below
  }
  return new URL(DEFAULT_CALLBACK, baseUrl).toString();
}
