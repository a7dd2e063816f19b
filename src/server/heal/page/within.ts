// Playwright gives page.evaluate (and everything built on it) no timeout: a page whose main thread is stuck in a
// script never answers, and a run waiting on it would hang with its heartbeat still beating. Calls that talk to
// the page without a timeout of their own go through `within`.

/**
 * `p`'s value, or `fallback` when `p` has not settled within `ms`. `p` keeps running; a late result or rejection
 * is dropped (never an unhandled rejection). A rejection before the deadline is passed on.
 */
export async function within<T, F>(p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  type Settled = { ok: true; value: T } | { ok: false; err: unknown };
  const settled: Promise<Settled> = p.then(
    (value) => ({ ok: true, value }),
    (err: unknown) => ({ ok: false, err }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), Math.max(0, ms))));
  try {
    const r = await Promise.race([settled, late]);
    if (r === "late") return fallback;
    if (r.ok) return r.value;
    throw r.err;
  } finally {
    clearTimeout(timer);
  }
}
