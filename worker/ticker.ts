// A periodic job beside the claim loop (worker/loop.ts): one pass every `everyMs`, the first after `firstMs`;
// passes never overlap, a failing pass is logged and tried again next time, and the timer stops when the
// worker's signal aborts. everyMs <= 0 turns the job off.
import type { Logger } from "pino";

export function startTicker(o: { name: string; everyMs: number; firstMs?: number; log: Logger; signal: AbortSignal; pass: () => Promise<void> }): () => void {
  if (o.everyMs <= 0) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped || o.signal.aborted) return;
    timer = setTimeout(() => void run(), ms);
    timer.unref();
  };
  const run = async () => {
    try {
      await o.pass();
    } catch (err) {
      o.log.error({ err, job: o.name }, `${o.name} failed`);
    }
    schedule(o.everyMs);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  o.signal.addEventListener("abort", stop, { once: true });
  schedule(Math.min(o.firstMs ?? o.everyMs, o.everyMs));
  return stop;
}
