// The fixed development secret signs sessions only under `next dev`; tests and production need NEXTAUTH_SECRET.
import { afterEach, describe, expect, it } from "vitest";
import { resetWebEnv, webEnv } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetWebEnv();
});

function envWith(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetWebEnv();
  return webEnv();
}

describe("webEnv secret", () => {
  it("uses the development secret only when NODE_ENV is development", () => {
    expect(envWith({ NODE_ENV: "development", NEXTAUTH_SECRET: undefined }).nextAuthSecret).toMatch(/development/);
    expect(envWith({ NODE_ENV: "test", NEXTAUTH_SECRET: undefined }).nextAuthSecret).toBeUndefined();
    expect(() => envWith({ NODE_ENV: "production", NEXTAUTH_SECRET: undefined, NEXT_PHASE: undefined })).toThrow(/NEXTAUTH_SECRET is required/);
    expect(envWith({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32) }).nextAuthSecret).toBe("s".repeat(32));
  });
});
