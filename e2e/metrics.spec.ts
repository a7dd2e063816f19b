import { expect, test, type Locator, type Page } from "@playwright/test";
import { logIn } from "./helpers";
import { seedMetricsTeam, type MetricsTeam } from "./metrics-fixture";

let team: MetricsTeam;

test.beforeAll(async () => {
  team = await seedMetricsTeam();
});

/** The <dd> that follows the <dt> with exactly this text, inside a section. */
function stat(section: Locator, term: string): Locator {
  return section.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
}

async function chooseRange(page: Page, label: string, long: string): Promise<void> {
  await page.getByRole("group", { name: "Time range" }).getByRole("radio", { name: label }).check();
  await expect(page.getByRole("status")).toContainText(`Showing ${long} for this team`);
  await expect(page.getByRole("group", { name: "Time range" })).not.toHaveAttribute("aria-busy", "true");
}

test("the Metrics page shows the seeded team's heal, cache and run numbers in text and charts, per time range", async ({ page }) => {
  await logIn(page, team);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Metrics" }).click();
  await expect(page.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Showing the last 7 days for this team");
  await expect(page.getByRole("radio", { name: "7 days" })).toBeChecked();

  // Heal strategies: the table has the exact numbers, ordered by success rate.
  const heal = page.getByRole("region", { name: "Heal strategies" });
  const table = heal.getByRole("table", { name: "Heal strategies" });
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator("th, td")).toHaveText(["text", "100.0%", "2", "500 ms"]);
  await expect(rows.nth(1).locator("th, td")).toHaveText(["label", "80.0%", "5", "150 ms"]);

  // The bar chart: one bar per strategy, named on the axis, labelled with its rate, heights in proportion.
  const bars = heal.getByRole("figure", { name: "Heal success rate by strategy" });
  const rects = bars.locator(".recharts-bar-rectangle");
  await expect(rects).toHaveCount(2);
  // Axis ticks: the strategy names on the category axis, percentages on the value axis.
  await expect
    .poll(async () => (await bars.locator(".recharts-cartesian-axis-tick-value").allTextContents()).filter((t) => !t.endsWith("%")))
    .toEqual(["text", "label"]);
  // The value label on top of each bar.
  await expect(bars.locator("text.recharts-label")).toHaveText(["100.0%", "80.0%"]);
  const heights = await rects.locator("path").evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().height));
  expect(heights).toHaveLength(2);
  expect(heights[0]! / heights[1]!).toBeCloseTo(100 / 80, 1);
  // Hovering a bar shows its strategy and numbers in the tooltip.
  await rects.nth(1).hover();
  const tooltip = bars.locator(".recharts-tooltip-wrapper");
  await expect(tooltip).toContainText("label");
  await expect(tooltip).toContainText("Success rate 80.0%");
  await expect(tooltip).toContainText("5 uses (4 healed, 1 failed)");
  await expect(tooltip).toContainText("Avg heal time 150 ms");
  await rects.nth(0).hover();
  await expect(tooltip).toContainText("text");
  await expect(tooltip).toContainText("Success rate 100.0%");

  // Selector cache: numbers, and a hit-rate line with a point.
  const cache = page.getByRole("region", { name: "Selector cache" });
  await expect(stat(cache, "Redis hits")).toHaveText("6");
  await expect(stat(cache, "Postgres hits")).toHaveText("2");
  await expect(stat(cache, "Misses")).toHaveText("2");
  await expect(stat(cache, "Hit rate")).toHaveText("80.0%");
  const hitChart = cache.getByRole("figure", { name: "Selector-cache hit rate over time" });
  await expect(hitChart.locator(".recharts-line")).toHaveCount(1);
  await expect(hitChart.locator(".recharts-line-dot, .recharts-line-dots circle").first()).toBeAttached();

  // Runs: the 8-day-old run is outside 7 days.
  const runs = page.getByRole("region", { name: "Runs", exact: true });
  const expectRuns = async (v: { total: string; passed: string; failed: string; rate: string; avg: string }) => {
    await expect(stat(runs, "Total runs")).toHaveText(v.total);
    await expect(stat(runs, "Passed")).toHaveText(v.passed);
    await expect(stat(runs, "Failed")).toHaveText(v.failed);
    await expect(stat(runs, "Pass rate")).toHaveText(v.rate);
    await expect(stat(runs, "Avg duration")).toHaveText(v.avg);
  };
  const fresh = { total: "4", passed: "3", failed: "1", rate: "75.0%", avg: "3,000 ms" };
  const withOld = { total: "5", passed: "4", failed: "1", rate: "80.0%", avg: "4,800 ms" };
  await expectRuns(fresh);
  await expect(runs.getByRole("figure", { name: "Pass rate over time" }).locator(".recharts-line")).toHaveCount(1);
  await expect(runs.getByRole("figure", { name: "Average run duration over time" }).locator(".recharts-line")).toHaveCount(1);

  // 24 hours: everything seeded now is inside, so nothing changes, but the page re-renders for the new range.
  await chooseRange(page, "24 hours", "the last 24 hours");
  await expectRuns(fresh);
  await expect(stat(cache, "Hit rate")).toHaveText("80.0%");
  await expect(bars.locator(".recharts-bar-rectangle")).toHaveCount(2);
  await expect(rows.nth(1).locator("th, td")).toHaveText(["label", "80.0%", "5", "150 ms"]);

  // All time (and 30 days) include the old run; 7 days excludes it again.
  await chooseRange(page, "All time", "all time");
  await expectRuns(withOld);
  const passPoints = runs.getByRole("figure", { name: "Pass rate over time" }).locator(".recharts-line-dots circle, .recharts-line-dot");
  await expect(passPoints).toHaveCount(2);
  await chooseRange(page, "30 days", "the last 30 days");
  await expectRuns(withOld);
  await chooseRange(page, "7 days", "the last 7 days");
  await expectRuns(fresh);
});

test("the Metrics page's numbers are the team's JSON metrics (same function, same scope)", async ({ page }) => {
  await logIn(page, team);
  const res = await page.request.get("/api/metrics/summary?since=7d", { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  const summary = (await res.json()) as {
    cache: { redis_hits: number; postgres_hits: number; misses: number; hit_rate: number };
    heal: { strategy_count: number; top_strategies: { strategy: string; success_rate: number; usage_count: number; avg_heal_time_ms: number }[] };
    runs: { total_runs: number; passed: number; failed: number; success_rate: number; avg_duration_ms: number };
  };
  expect(summary.cache).toMatchObject({ redis_hits: 6, postgres_hits: 2, misses: 2, hit_rate: 80 });
  expect(summary.heal.strategy_count).toBe(2);
  expect(summary.heal.top_strategies.map((s) => [s.strategy, s.success_rate, s.usage_count, s.avg_heal_time_ms])).toEqual([
    ["text", 100, 2, 500],
    ["label", 80, 5, 150],
  ]);
  expect(summary.runs).toMatchObject({ total_runs: 4, passed: 3, failed: 1, success_rate: 75, avg_duration_ms: 3000 });
});
