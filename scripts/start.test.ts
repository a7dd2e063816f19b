import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkPortFree, computeBuildStamp, isBuildStale, listBuildInputs, parsePort, workerRestartPolicy, writeBuildStamp } from "./start";

describe("checkPortFree", () => {
  it("reports a port someone listens on as busy, and a released one as free", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    // All interfaces, like `next start`: a listener on 127.0.0.1 alone already makes it busy.
    expect(await checkPortFree(port)).toEqual({ free: false, reason: "EADDRINUSE" });
    await new Promise<void>((r) => server.close(() => r()));
    expect(await checkPortFree(port)).toEqual({ free: true });
  });
});

describe("parsePort", () => {
  it("defaults to 3000 and rejects garbage", () => {
    expect(parsePort(undefined)).toBe(3000);
    expect(parsePort("3100")).toBe(3100);
    expect(() => parsePort("abc")).toThrow(/PORT/);
    expect(() => parsePort("70000")).toThrow(/PORT/);
  });
});

describe("build stamp", () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "pacts-stamp-"));
    await fs.mkdir(path.join(root, "src/app"), { recursive: true });
    await fs.writeFile(path.join(root, "src/app/page.tsx"), "export default 1;");
    await fs.writeFile(path.join(root, "src/app/page.test.ts"), "test");
    await fs.writeFile(path.join(root, "package-lock.json"), "{}");
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it("ignores tests, changes with sources, and marks a build stale until stamped", async () => {
    expect(await listBuildInputs(root)).toEqual(["package-lock.json", "src/app/page.tsx"]);
    const s1 = await computeBuildStamp(root);
    await fs.writeFile(path.join(root, "src/app/page.test.ts"), "changed test");
    expect(await computeBuildStamp(root)).toBe(s1);

    const dist = path.join(root, ".next");
    expect(await isBuildStale(dist, s1)).toBe(true); // no BUILD_ID
    await fs.mkdir(dist);
    await fs.writeFile(path.join(dist, "BUILD_ID"), "x");
    expect(await isBuildStale(dist, s1)).toBe(true); // no stamp yet
    await writeBuildStamp(dist, s1);
    expect(await isBuildStale(dist, s1)).toBe(false);

    await fs.writeFile(path.join(root, "src/app/page.tsx"), "export default 2;");
    const s2 = await computeBuildStamp(root);
    expect(s2).not.toBe(s1);
    expect(await isBuildStale(dist, s2)).toBe(true);
  });
});

describe("workerRestartPolicy", () => {
  it("defaults to 5 restarts in 5 minutes and reads the env", () => {
    expect(workerRestartPolicy({})).toEqual({ maxRestarts: 5, windowMs: 300_000 });
    expect(workerRestartPolicy({ PACTS_WORKER_MAX_RESTARTS: "2", PACTS_WORKER_RESTART_WINDOW_SEC: "60" })).toEqual({ maxRestarts: 2, windowMs: 60_000 });
    expect(() => workerRestartPolicy({ PACTS_WORKER_MAX_RESTARTS: "x" })).toThrow(/PACTS_WORKER_MAX_RESTARTS/);
  });
});
