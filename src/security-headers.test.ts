// Every response carries the security headers next.config.mjs declares (CSP with frame-ancestors 'none',
// Referrer-Policy, X-Content-Type-Options), on every path; eval is allowed only under `next dev`.
import { describe, expect, it } from "vitest";
import config, { securityHeaders } from "../next.config.mjs";

type Header = { key: string; value: string };

describe("security headers", () => {
  it("apply to every path", async () => {
    const rules = (await config.headers!()) as Array<{ source: string; headers: Header[] }>;
    expect(rules).toHaveLength(1);
    expect(rules[0]!.source).toBe("/:path*");
    const byKey = Object.fromEntries(rules[0]!.headers.map((h) => [h.key, h.value]));
    expect(byKey["X-Content-Type-Options"]).toBe("nosniff");
    expect(byKey["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(byKey["X-Frame-Options"]).toBe("DENY");
    expect(byKey["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
  });

  it("allow only this origin, and eval only in development", () => {
    const csp = (dev: boolean) => (securityHeaders(dev) as Header[]).find((h) => h.key === "Content-Security-Policy")!.value;
    const prod = csp(false);
    for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "connect-src 'self'"]) expect(prod).toContain(d);
    expect(prod).not.toContain("unsafe-eval");
    expect(prod).not.toMatch(/https?:|\*/);
    expect(csp(true)).toContain("'unsafe-eval'");
  });
});
