import { describe, expect, it } from "vitest";
import { orderStrategies, smoothedSuccessRate } from "./heal-history";

const REG = ["testid", "aria-label", "label", "placeholder", "role-name", "text"];
const h = (strategy: string, successCount: number, failureCount: number, avgHealTimeMs = 100) => ({
  strategy,
  successCount,
  failureCount,
  avgHealTimeMs,
});

describe("orderStrategies", () => {
  it("keeps registry order without history", () => {
    expect(orderStrategies([], REG)).toEqual(REG);
  });

  it("puts successful strategies first by smoothed rate, then untried in registry order, then failing ones", () => {
    const order = orderStrategies([h("text", 3, 0), h("label", 1, 0), h("testid", 0, 4), h("role-name", 9, 1)], REG);
    // role-name 10/12=.83, text 4/5=.8, label 2/3=.67, untried .5 (aria-label, placeholder), testid 1/6
    expect(order).toEqual(["role-name", "text", "label", "aria-label", "placeholder", "testid"]);
  });

  it("smoothing prefers a long record over a single lucky success", () => {
    expect(smoothedSuccessRate(h("a", 1, 0))).toBeCloseTo(2 / 3);
    expect(orderStrategies([h("label", 1, 0), h("text", 19, 1)], REG).slice(0, 2)).toEqual(["text", "label"]);
  });

  it("breaks equal rates by average heal time, then registry order", () => {
    expect(orderStrategies([h("text", 2, 0, 50), h("label", 2, 0, 300), h("aria-label", 2, 0, 50)], REG).slice(0, 3)).toEqual([
      "aria-label",
      "text",
      "label",
    ]);
  });

  it("puts tried-but-even strategies before untried ones, ignores unknown names, and returns a permutation", () => {
    const order = orderStrategies([h("placeholder", 1, 1), h("gone-strategy", 50, 0)], REG);
    expect(order[0]).toBe("placeholder");
    expect([...order].sort()).toEqual([...REG].sort());
  });
});
