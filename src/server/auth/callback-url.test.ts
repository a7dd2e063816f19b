// The open redirect after login (`/login?callbackUrl=/%5Cevil.example`): only same-origin paths come back out.
import { describe, expect, it } from "vitest";
import { sameOriginRedirect, safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeCallbackPath("/runs/abc?tab=steps#s2")).toBe("/runs/abc?tab=steps#s2");
    expect(safeCallbackPath("/settings/team")).toBe("/settings/team");
    expect(safeCallbackPath("/a/../tests")).toBe("/tests");
  });

  it.each([
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/login",
    "/login?callbackUrl=/x",
    "/api/auth/signout",
    `/${"a".repeat(2001)}`,
  ])("refuses %j (the default instead)", (raw) => {
    expect(safeCallbackPath(raw)).toBe("/tests");
  });

  it("refuses what the browser would read as another origin once decoded by the page's searchParams", () => {
    // `/login?callbackUrl=/%5Cevil.example` reaches the page as "/\evil.example".
    const decoded = new URL("http://x/login?callbackUrl=/%5Cevil.example").searchParams.get("callbackUrl");
    expect(decoded).toBe("/\\evil.example");
    expect(safeCallbackPath(decoded)).toBe("/tests");
    // A browser would go to evil.example with it:
    expect(new URL(decoded!, "http://pacts.local").host).toBe("evil.example");
  });
});

describe("sameOriginRedirect (next-auth)", () => {
  const base = "https://pacts.example.com";
  it("keeps same-origin URLs and paths, sends everything else home", () => {
    expect(sameOriginRedirect("/runs/1", base)).toBe(`${base}/runs/1`);
    expect(sameOriginRedirect(`${base}/tests?x=1`, base)).toBe(`${base}/tests?x=1`);
    expect(sameOriginRedirect("https://evil.example/", base)).toBe(`${base}/tests`);
    expect(sameOriginRedirect("/\\evil.example", base)).toBe(`${base}/tests`);
    expect(sameOriginRedirect("//evil.example/x", base)).toBe(`${base}/tests`);
    expect(sameOriginRedirect("https://pacts.example.com.evil.example/", base)).toBe(`${base}/tests`);
  });
});
