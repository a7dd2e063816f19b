// A small shared result cache for metrics reads: fresh for `freshMs`, then served stale for up to `staleMs`
// while ONE background refresh runs (single flight), so a burst of scrapes or dashboard polls costs one query
// per key per freshMs and no caller waits on a refresh unless the value is older than staleMs (or missing).
// Values only move forward in time within a process, so counters stay monotonic for each reader.
type Entry<T> = { at: number; value?: T; pending?: Promise<T> };

export type ResultCache<T> = {
  get(key: string, compute: () => Promise<T>, now?: number): Promise<T>;
  clear(): void;
};

export function createResultCache<T>(opts: { freshMs: number; staleMs: number; maxEntries?: number }): ResultCache<T> {
  const entries = new Map<string, Entry<T>>();
  const maxEntries = opts.maxEntries ?? 500;

  function refresh(key: string, entry: Entry<T>, compute: () => Promise<T>, now: number): Promise<T> {
    const pending = compute().then(
      (value) => {
        entry.value = value;
        entry.at = now;
        entry.pending = undefined;
        return value;
      },
      (err: unknown) => {
        // A failed build is not cached; the next caller tries again.
        entry.pending = undefined;
        throw err;
      },
    );
    entry.pending = pending;
    if (!entries.has(key)) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, entry);
    }
    return pending;
  }

  return {
    get(key, compute, now = Date.now()) {
      const entry = entries.get(key) ?? { at: 0 };
      if (entry.value !== undefined) {
        const age = now - entry.at;
        if (age < opts.freshMs) return Promise.resolve(entry.value);
        if (age < opts.staleMs) {
          if (!entry.pending) refresh(key, entry, compute, now).catch(() => undefined);
          return Promise.resolve(entry.value);
        }
      }
      return entry.pending ?? refresh(key, entry, compute, now);
    },
    clear() {
      entries.clear();
    },
  };
}
