import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, buildEmbeddedUrl, hashCheckoutPath, isPortFree, pickPort, resolveEmbeddedPaths } from "./embedded";

describe("resolveEmbeddedPaths", () => {
  it("keeps the cluster under /var/lib/pacts/<hash> as root and the runtime copy beside it", () => {
    const p = resolveEmbeddedPaths({ projectDir: "/nonexistent/checkout", asRoot: true });
    const hash = hashCheckoutPath("/nonexistent/checkout");
    expect(hash).toMatch(/^[0-9a-f]{12}$/);
    expect(p.clusterRoot).toBe(`/var/lib/pacts/${hash}`);
    expect(p.pgDataDir).toBe(`/var/lib/pacts/${hash}/pgdata`);
    expect(p.nodeModulesDir).toBe(`/var/lib/pacts/${hash}/runtime/node_modules`);
    expect(p.stateFile).toBe("/nonexistent/checkout/.data/embedded-pg.json");
  });

  it("uses the project's node_modules and .data/pgdata when not root", () => {
    const p = resolveEmbeddedPaths({ projectDir: "/nonexistent/checkout", asRoot: false });
    expect(p.pgDataDir).toBe("/nonexistent/checkout/.data/pgdata");
    expect(p.nodeModulesDir).toBe("/nonexistent/checkout/node_modules");
    expect(p.runtimeDir).toBeUndefined();
  });

  it("follows a custom data dir", () => {
    const p = resolveEmbeddedPaths({ projectDir: "/x", dataDir: "/y/data", asRoot: false });
    expect(p.stateFile).toBe("/y/data/embedded-pg.json");
    expect(p.pgDataDir).toBe("/y/data/pgdata");
  });
});

describe("ports", () => {
  it("detects a busy port and skips it", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port, "127.0.0.1")).toBe(false);
      const picked = await pickPort(port);
      expect(picked).not.toBe(port);
      expect(picked).not.toBe(5432);
      expect(await isPortFree(picked, "127.0.0.1")).toBe(true);
    } finally {
      server.close();
    }
  });

  it("never picks 5432 even when asked to", async () => {
    expect(await pickPort(5432)).not.toBe(5432);
  });

  it("encodes the password in the URL", () => {
    expect(buildEmbeddedUrl(54329, "a/b", "pacts")).toBe("postgresql://postgres:a%2Fb@127.0.0.1:54329/pacts");
  });
});

describe("acquireLock", () => {
  it("takes over a lock left by a dead process and blocks while a live one holds it", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "pacts-lock-"));
    const lock = path.join(dir, "x.lock");
    try {
      await fs.writeFile(lock, "999999999\n"); // no such pid
      const release = await acquireLock(lock, () => {});
      expect((await fs.readFile(lock, "utf8")).trim()).toBe(String(process.pid));
      // Held by us (alive): a second attempt times out.
      await expect(acquireLock(lock, () => {}, 300)).rejects.toThrow(/Timed out/);
      await release();
      await expect(fs.stat(lock)).rejects.toThrow();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
