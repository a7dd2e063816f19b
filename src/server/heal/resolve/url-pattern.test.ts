import { describe, expect, it } from "vitest";
import { isIdSegment, toUrlPattern } from "./url-pattern";

describe("toUrlPattern", () => {
  it.each([
    ["https://shop.test/orders/123?x=1#top", "https://shop.test/orders/:id"],
    ["https://Shop.Test:8080/a/b/", "https://shop.test:8080/a/b"],
    ["http://127.0.0.1:3000/demo/login", "http://127.0.0.1:3000/demo/login"],
    ["https://x.test/u/550e8400-e29b-41d4-a716-446655440000/edit", "https://x.test/u/:id/edit"],
    ["https://x.test/p/5f8d0d55b54764421b7156c3", "https://x.test/p/:id"],
    ["https://x.test/r/clx2abcdefghijklmnopqrstu", "https://x.test/r/:id"],
    ["https://x.test/", "https://x.test/"],
    ["https://x.test/docs/getting-started", "https://x.test/docs/getting-started"],
    ["https://x.test/bad/%E0%A4%A", "https://x.test/bad/%E0%A4%A"],
  ])("%s -> %s", (url, pattern) => {
    expect(toUrlPattern(url)).toBe(pattern);
  });

  it("keeps a non-URL without query or fragment", () => {
    expect(toUrlPattern("/relative/path?q=1")).toBe("/relative/path");
  });

  it.each([["login", false], ["2024", true], ["v2", false], ["settings-page-long-name", false]])("isIdSegment(%s) = %s", (s, want) => {
    expect(isIdSegment(s)).toBe(want);
  });
});
