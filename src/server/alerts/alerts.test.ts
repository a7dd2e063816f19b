// Pure parts of alerts: the signature receivers verify, the retry schedule, rule validation, URL masking and the
// message an alert carries.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertBackoffMs } from "./dispatch";
import { buildPayload } from "./payload";
import { maskTarget, ZAlertRuleInput } from "./rules";
import { signBody } from "./send";

describe("signBody", () => {
  it("is sha256= and the hex HMAC-SHA256 of the exact body", () => {
    const body = JSON.stringify({ a: 1, text: "é" });
    expect(signBody("k", body)).toBe(`sha256=${createHmac("sha256", "k").update(body, "utf8").digest("hex")}`);
    expect(signBody("k", body)).not.toBe(signBody("other", body));
    expect(signBody("k", body)).not.toBe(signBody("k", `${body} `));
  });
});

describe("alertBackoffMs", () => {
  it("doubles from the base and stops at 10 minutes", () => {
    expect([1, 2, 3, 4].map((n) => alertBackoffMs(n, 10_000))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(alertBackoffMs(30, 10_000)).toBe(600_000);
  });
});

describe("ZAlertRuleInput", () => {
  const base = { testId: null, event: "FAILURE", threshold: 3 } as const;
  it.each([
    [{ ...base, channel: "WEBHOOK", target: "https://ci.example.com/hook" }, true],
    [{ ...base, channel: "SLACK", target: "http://127.0.0.1:8080/x" }, true],
    [{ ...base, channel: "EMAIL", target: "ops@example.com" }, true],
    [{ ...base, channel: "WEBHOOK", target: "javascript:alert(1)" }, false],
    [{ ...base, channel: "SLACK", target: "ops@example.com" }, false],
    [{ ...base, channel: "EMAIL", target: "https://example.com" }, false],
    [{ ...base, threshold: 0, channel: "EMAIL", target: "ops@example.com" }, false],
    [{ ...base, threshold: 101, channel: "EMAIL", target: "ops@example.com" }, false],
  ])("%j valid: %s", (input, ok) => {
    expect(ZAlertRuleInput.safeParse(input).success).toBe(ok);
  });
});

describe("maskTarget", () => {
  it("keeps e-mail, shortens URLs to their origin", () => {
    expect(maskTarget("EMAIL", "a@example.com")).toBe("a@example.com");
    expect(maskTarget("SLACK", "https://hooks.slack.com/services/T0/B0/secret")).toBe("https://hooks.slack.com/…");
    expect(maskTarget("WEBHOOK", "not a url")).toBe("…");
  });
});

describe("buildPayload", () => {
  const run = {
    id: "r1",
    status: "FAILED",
    verdict: "ASSERTION_FAILED",
    errorMessage: "boom",
    testId: "t1",
    testName: "Checkout",
    team: { id: "tm", name: "Shop" },
    failingStep: { stepIdx: 2, text: 'Expect text "Thanks"', errorMessage: "not found" },
  };
  it("names the test, the failing step, the verdict and links the run", () => {
    const p = buildPayload("FAILURE", run, { consecutiveFailures: 3, healsNeedingReview: 0, publicUrl: "https://p.example.com" });
    expect(p.title).toBe("[PACTS] Checkout failed");
    expect(p.text.split("\n")).toEqual([
      "3 consecutive failed runs.",
      "Status: FAILED (ASSERTION_FAILED)",
      'Failing step 3: Expect text "Thanks" — not found',
      "Run: https://p.example.com/runs/r1",
    ]);
    expect(p.run).toMatchObject({ url: "https://p.example.com/runs/r1", failingStep: { index: 2 } });
  });
  it("says what a recovery and a heal review are about", () => {
    const passed = { ...run, status: "PASSED", verdict: "CLEAN", errorMessage: null, failingStep: null };
    expect(buildPayload("RECOVERY", passed, { consecutiveFailures: 1, healsNeedingReview: 0, publicUrl: "http://x" }).text).toMatch(/^Passed after 1 failed run\./);
    expect(buildPayload("HEAL_REVIEW", passed, { consecutiveFailures: 0, healsNeedingReview: 2, publicUrl: "http://x" }).title).toBe(
      "[PACTS] Checkout has a heal that needs review",
    );
  });
});
