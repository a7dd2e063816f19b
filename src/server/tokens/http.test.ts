import { describe, expect, it } from "vitest";
import { apiError, capRequestBody, isJsonContentType, readJsonBody, unauthorized } from "./http";

const URL_ = "http://pacts.test/api/v1/runs";

function post(body: BodyInit | null, headers: Record<string, string>): Request {
  return new Request(URL_, { method: "POST", body, headers, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON", true],
    ["application/merge-patch+json", true],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    [null, false],
  ])("%s -> %s", (header, ok) => {
    expect(isJsonContentType(header)).toBe(ok);
  });
});

describe("readJsonBody", () => {
  it("parses a JSON object", async () => {
    const r = await readJsonBody(post(JSON.stringify({ testName: "x" }), { "content-type": "application/json" }));
    expect(r).toEqual({ ok: true, value: { testName: "x" } });
  });

  it("415 for a non-JSON content type", async () => {
    const r = await readJsonBody(post("testName=x", { "content-type": "application/x-www-form-urlencoded" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.response.status).toBe(415);
    expect((await errorOf(r.response)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("413 when Content-Length declares too much", async () => {
    const r = await readJsonBody(post("{}", { "content-type": "application/json", "content-length": "70000" }), 65536);
    expect(r.ok || r.response.status).toBe(413);
  });

  it("413 when a chunked body grows past the limit without a Content-Length", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10) return controller.close();
        sent++;
        controller.enqueue(new TextEncoder().encode("x".repeat(10_000)));
      },
    });
    const r = await readJsonBody(post(stream, { "content-type": "application/json" }), 65536);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.response.status).toBe(413);
    expect((await errorOf(r.response)).code).toBe("PAYLOAD_TOO_LARGE");
    // It stopped reading at the limit instead of buffering everything.
    expect(sent).toBeLessThan(10);
  });

  it("accepts a body of exactly the limit", async () => {
    const body = JSON.stringify({ pad: "y".repeat(100 - 10) });
    expect(Buffer.byteLength(body)).toBe(100);
    const r = await readJsonBody(post(body, { "content-type": "application/json" }), 100);
    expect(r.ok).toBe(true);
  });

  it.each([["{not json"], [""], ["   "]])("400 for %j", async (body) => {
    const r = await readJsonBody(post(body, { "content-type": "application/json" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.response.status).toBe(400);
    expect((await errorOf(r.response)).code).toBe("INVALID_JSON");
  });
});

describe("error responses", () => {
  it("share one JSON shape and are never cached", async () => {
    const res = apiError(404, "NOT_FOUND", "Run not found");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Run not found" } });
  });

  it("401 carries a Bearer challenge, with invalid_token only when credentials were sent", () => {
    expect(unauthorized(false).headers.get("www-authenticate")).toBe('Bearer realm="pacts"');
    expect(unauthorized(true).headers.get("www-authenticate")).toBe('Bearer realm="pacts", error="invalid_token"');
    expect(unauthorized(true).status).toBe(401);
  });
});

describe("capRequestBody (/api/trpc)", () => {
  it("passes a body under the cap on as a readable request, and GETs untouched", async () => {
    const body = JSON.stringify({ 0: { json: { name: "x" } } });
    const req = await capRequestBody(post(body, { "content-type": "application/json" }), 1024);
    expect(req).toBeInstanceOf(Request);
    expect(await (req as Request).text()).toBe(body);
    const get = new Request(`${URL_}?batch=1`);
    expect(await capRequestBody(get, 1)).toBe(get);
  });

  it("413 for a body over the cap, declared or streamed", async () => {
    const declared = await capRequestBody(post("{}", { "content-type": "application/json", "content-length": "2000000" }));
    expect((declared as Response).status).toBe(413);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 200) return controller.close();
        controller.enqueue(new Uint8Array(10_000));
      },
    });
    const streamed = (await capRequestBody(post(stream, { "content-type": "application/json" }))) as Response;
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { message: string } }).error.message).toMatch(/at most 1048576 bytes/);
    expect(sent).toBeLessThan(200); // reading stopped at the cap
  });
});
