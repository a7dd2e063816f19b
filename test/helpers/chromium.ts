// Chromium flags for tests and benchmarks only: headless, no background services, and a resolver rule that keeps
// the browser off the network (users test real sites, so the product never sets it). --no-sandbox is added by
// src/server/browser.ts when running as root.
export const TEST_CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
];

/** The same flags plus --no-sandbox as root, for tests that launch Chromium themselves. */
export function testLaunchArgs(): string[] {
  return process.getuid?.() === 0 ? [...TEST_CHROMIUM_ARGS, "--no-sandbox"] : [...TEST_CHROMIUM_ARGS];
}
