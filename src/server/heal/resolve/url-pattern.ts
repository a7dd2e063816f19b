// Page pattern for keying learned selectors: the same page with different ids, query strings or fragments
// maps to one pattern (https://shop.test/orders/123?x=1 -> https://shop.test/orders/:id).
const ID_SEGMENT = [
  /^\d+$/, // 123
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // uuid
  /^[0-9a-f]{16,}$/i, // hex hashes / object ids
  /^c[a-z0-9]{20,}$/, // cuid
  /^(?=.*\d)[A-Za-z0-9_-]{20,}$/, // long opaque tokens with digits
];

export function isIdSegment(segment: string): boolean {
  return ID_SEGMENT.some((re) => re.test(segment));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function toUrlPattern(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
  const segments = parsed.pathname
    .split("/")
    .map((s) => (s && isIdSegment(safeDecode(s)) ? ":id" : s));
  let path = segments.join("/");
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${path || "/"}`;
}
