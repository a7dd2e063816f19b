// The URL policy's decisions: schemes, the built-in refusals (link-local, cloud metadata, in every spelling the URL
// parser accepts), operator allow / deny rules and their order, and rule parsing errors.
import { describe, expect, it } from "vitest";
import { checkUrl, parseUrlRule, urlPolicy } from "./url-policy";

const ok = (url: string, policy = urlPolicy()) => checkUrl(url, policy).ok;
const reason = (url: string, policy = urlPolicy()) => {
  const d = checkUrl(url, policy);
  return d.ok ? null : d.reason;
};

describe("checkUrl schemes", () => {
  it("opens http, https and about:blank only", () => {
    expect(ok("http://127.0.0.1:3000/login")).toBe(true);
    expect(ok("https://example.com/")).toBe(true);
    expect(ok("about:blank")).toBe(true);
    for (const u of ["file:///etc/passwd", "FILE:///etc/passwd", "data:text/html,<h1>x</h1>", "javascript:alert(1)", "chrome://settings", "about:config", "ftp://example.com/", "view-source:http://example.com", "blob:http://example.com/x", "ws://example.com"]) {
      expect(reason(u), u).toMatch(/only http and https/);
    }
    expect(reason("not a url")).toMatch(/not a valid URL/);
  });
});

describe("checkUrl built-in refusals", () => {
  it("refuses link-local and cloud metadata hosts however they are spelt", () => {
    for (const u of [
      "http://169.254.169.254/latest/meta-data/",
      "http://169.254.1.1:8080/",
      "http://2852039166/", // 169.254.169.254 as one number
      "http://0xa9.0xfe.0xa9.0xfe/",
      "http://169.254.169.254./",
      "http://[::ffff:169.254.169.254]/",
      "http://[fe80::1]/",
      "http://[FEBF::1]/",
    ]) {
      expect(reason(u), u).toMatch(/link-local/);
    }
    for (const u of ["http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.google.internal./", "http://100.100.100.200/", "http://[fd00:ec2::254]/", "http://instance-data/"]) {
      expect(reason(u), u).toMatch(/cloud metadata/);
    }
  });

  it("opens private networks and loopback by default (self-hosted teams test their staging hosts)", () => {
    for (const u of ["http://10.1.2.3/", "http://192.168.0.10/", "http://localhost:3000/", "http://[::1]:3000/", "http://staging.internal/"]) expect(ok(u), u).toBe(true);
    expect(ok("http://[fec0::1]/")).toBe(true); // just outside fe80::/10
    expect(ok("http://169.255.0.1/")).toBe(true);
  });
});

describe("operator rules", () => {
  it("denies CIDRs, host patterns and the private alias", () => {
    const p = urlPolicy({ deny: "10.0.0.0/8, *.corp.example internal.example private" });
    expect(reason("http://10.9.9.9/", p)).toMatch(/PACTS_URL_DENY \(10\.0\.0\.0\/8\)/);
    expect(reason("http://wiki.corp.example/", p)).toMatch(/\*\.corp\.example/);
    expect(ok("http://corp.example/", p)).toBe(true); // *.x matches subdomains only
    expect(reason("http://internal.example/", p)).toMatch(/internal\.example/);
    expect(reason("http://a.internal.example/", p)).toMatch(/internal\.example/);
    expect(reason("http://127.0.0.1/", p)).toMatch(/private/);
    expect(reason("http://localhost:3000/", p)).toMatch(/private/);
    expect(reason("http://[::1]/", p)).toMatch(/private/);
    expect(reason("http://172.20.0.1/", p)).toMatch(/private/);
    expect(ok("https://example.com/", p)).toBe(true);
  });

  it("lets an allow rule win over deny rules and the built-in refusals, and allows only what it names", () => {
    const p = urlPolicy({ allow: "10.1.2.0/24 169.254.10.0/24 *.staging.example", deny: "*" });
    expect(ok("http://10.1.2.7/", p)).toBe(true);
    expect(ok("http://169.254.10.5/", p)).toBe(true);
    expect(ok("https://app.staging.example/", p)).toBe(true);
    expect(reason("http://169.254.169.254/", p)).toMatch(/PACTS_URL_DENY \(\*\)/);
    expect(reason("https://example.com/", p)).toMatch(/PACTS_URL_DENY/);
    expect(reason("file:///etc/passwd", p)).toMatch(/only http and https/); // no rule allows another scheme
    // A host-name rule never matches an address and vice versa.
    expect(reason("http://10.1.3.1/", p)).toMatch(/PACTS_URL_DENY/);
  });

  it("rejects rules it cannot read, naming them", () => {
    expect(() => parseUrlRule("10.0.0.0/33")).toThrow(/"10\.0\.0\.0\/33" has an invalid prefix/);
    expect(() => parseUrlRule("exa mple")).toThrow(/not a CIDR/);
    expect(() => parseUrlRule("http://example.com")).toThrow(/not a CIDR/);
    expect(() => urlPolicy({ deny: "ok.example, *bad*" })).toThrow(/"\*bad\*"/);
    expect(parseUrlRule("[fe80::]/10").text).toBe("[fe80::]/10");
  });
});
