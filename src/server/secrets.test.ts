import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ADMIN_EMAIL, ensureAuthSecret, parseAdminCredentials, resolveAdminCredentials } from "./secrets";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "pacts-secrets-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
const modeOf = async (f: string) => (await fs.stat(f)).mode & 0o777;

describe("ensureAuthSecret", () => {
  it("generates once, persists with 0600 and reuses", async () => {
    const first = await ensureAuthSecret(dir);
    expect(first.source).toBe("generated");
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(await modeOf(path.join(dir, "secrets.json"))).toBe(0o600);
    const second = await ensureAuthSecret(dir);
    expect(second).toEqual({ secret: first.secret, source: "file" });
  });

  it("lets the env value win", async () => {
    expect(await ensureAuthSecret(dir, "from-env")).toEqual({ secret: "from-env", source: "env" });
  });
});

describe("resolveAdminCredentials", () => {
  it("generates an admin once, writes it 0600, then reuses it", async () => {
    const first = await resolveAdminCredentials({ dataDir: dir });
    expect(first).toMatchObject({ email: DEFAULT_ADMIN_EMAIL, source: "generated" });
    expect(first.password.length).toBeGreaterThanOrEqual(8);
    expect(await modeOf(first.file)).toBe(0o600);
    expect(parseAdminCredentials(await fs.readFile(first.file, "utf8"))).toEqual({ email: first.email, password: first.password });
    const again = await resolveAdminCredentials({ dataDir: dir });
    expect(again).toMatchObject({ email: first.email, password: first.password, source: "file" });
  });

  it("uses ADMIN_EMAIL/ADMIN_PASSWORD over the file, without writing the password", async () => {
    await resolveAdminCredentials({ dataDir: dir });
    const before = await fs.readFile(path.join(dir, "admin-credentials.txt"), "utf8");
    const env = await resolveAdminCredentials({ dataDir: dir, envEmail: "me@example.com", envPassword: "correct horse" });
    expect(env).toMatchObject({ email: "me@example.com", password: "correct horse", source: "env" });
    expect(await fs.readFile(path.join(dir, "admin-credentials.txt"), "utf8")).toBe(before);
  });

  it("rejects a short ADMIN_PASSWORD and a bad ADMIN_EMAIL clearly", async () => {
    await expect(resolveAdminCredentials({ dataDir: dir, envPassword: "short" })).rejects.toThrow(/at least 8/);
    await expect(resolveAdminCredentials({ dataDir: dir, envEmail: "nope", envPassword: "longenough" })).rejects.toThrow(/ADMIN_EMAIL/);
  });
});
