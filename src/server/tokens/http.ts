// JSON helpers for the token-authenticated REST API (/api/v1). Every error has the same body shape,
// {error: {code, message, issues?}}, and nothing is cacheable. Framework-free: route handlers and tests
// use the standard Request/Response.
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export type ApiErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "INVALID_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL";

const BASE_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, ...headers } });
}

export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: { issues?: unknown; headers?: Record<string, string> } = {},
): Response {
  const body = { error: { code, message, ...(extra.issues ? { issues: extra.issues } : {}) } };
  return jsonResponse(body, status, extra.headers);
}

export function unauthorized(hasCredentials: boolean): Response {
  // RFC 6750: no error attribute when no credentials were sent; invalid_token when they were wrong.
  const challenge = hasCredentials ? 'Bearer realm="pacts", error="invalid_token"' : 'Bearer realm="pacts"';
  return apiError(
    401,
    "UNAUTHORIZED",
    hasCredentials ? "The API token is invalid or revoked" : "Send a team API token as 'Authorization: Bearer <token>'",
    { headers: { "WWW-Authenticate": challenge } },
  );
}

export function notFound(what: string): Response {
  return apiError(404, "NOT_FOUND", `${what} not found`);
}

export function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const mediaType = header.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/** Reads a JSON request body: 415 unless JSON, 413 past `maxBytes` (declared or streamed), 400 when unparsable. */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<JsonBodyResult> {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    return { ok: false, response: apiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as Content-Type: application/json") };
  }
  const tooLarge = () => ({
    ok: false as const,
    response: apiError(413, "PAYLOAD_TOO_LARGE", `The body must be at most ${maxBytes} bytes`),
  });
  const bytes = await readBodyLimited(req, maxBytes);
  if (!bytes) return tooLarge();
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return { ok: false, response: apiError(400, "INVALID_JSON", "The request body is empty; send a JSON object") };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, response: apiError(400, "INVALID_JSON", `The body is not valid JSON: ${(err as Error).message}`) };
  }
}

/** The request's body, or null when it is over `maxBytes` (declared or streamed: Content-Length can be absent or
 * lie, so bytes are counted while reading, which stops at the limit). */
export async function readBodyLimited(req: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** The dashboard's tRPC calls: a test's source is at most 20,000 characters; a megabyte leaves room for batches. */
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;

/**
 * `req` with its body read under the cap (a new Request the handler can read), or a 413 JSON response in tRPC's
 * error shape. Requests without a body pass through unchanged.
 */
export async function capRequestBody(req: Request, maxBytes = MAX_TRPC_BODY_BYTES): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const bytes = await readBodyLimited(req, maxBytes);
  if (!bytes) {
    return jsonResponse({ error: { message: `The request body must be at most ${maxBytes} bytes`, code: -32600, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } }, 413);
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body: bytes as BodyInit, signal: req.signal });
}
