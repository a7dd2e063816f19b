// The browser's settings are read on their own (the CLI launches Chromium before its database is known), with
// the same rules as the full server environment.
import { afterEach, describe, expect, it } from "vitest";
import { browserEnv, parseArgs, resetServerEnv, serverEnv } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetServerEnv();
});

describe("browserEnv", () => {
  it("needs no DATABASE_URL, defaults the path, and parses args as a JSON array or words", () => {
    delete process.env.DATABASE_URL;
    delete process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_ARGS = '["--host-resolver-rules=MAP * ~NOTFOUND", "--mute-audio"]';
    expect(browserEnv()).toEqual({ CHROMIUM_PATH: "/usr/bin/chromium", chromiumArgs: ["--host-resolver-rules=MAP * ~NOTFOUND", "--mute-audio"] });
    expect(() => serverEnv()).toThrow(/DATABASE_URL is not set/);

    process.env.CHROMIUM_PATH = "/opt/chrome/chrome";
    process.env.CHROMIUM_ARGS = "  --mute-audio   --disable-gpu ";
    expect(browserEnv()).toEqual({ CHROMIUM_PATH: "/opt/chrome/chrome", chromiumArgs: ["--mute-audio", "--disable-gpu"] });
  });

  it("agrees with serverEnv on the same environment", () => {
    process.env.DATABASE_URL = "postgresql://u@127.0.0.1:5432/x";
    process.env.CHROMIUM_PATH = "";
    process.env.CHROMIUM_ARGS = "--a --b";
    const full = serverEnv();
    expect(browserEnv()).toEqual({ CHROMIUM_PATH: full.CHROMIUM_PATH, chromiumArgs: full.chromiumArgs });
  });

  it("rejects CHROMIUM_ARGS that look like JSON but are not an array of strings", () => {
    expect(() => parseArgs("[1, 2]")).toThrow();
    process.env.CHROMIUM_ARGS = "[not json";
    expect(() => browserEnv()).toThrow();
  });
});

describe("URL policy settings", () => {
  it("parses PACTS_URL_ALLOW / PACTS_URL_DENY and refuses a rule it cannot read, naming the variable", () => {
    process.env.DATABASE_URL = "postgresql://u@127.0.0.1:5432/x";
    process.env.PACTS_URL_DENY = "private, *.corp.example";
    process.env.PACTS_URL_ALLOW = "10.1.0.0/16";
    expect(serverEnv().urlPolicy.deny.map((r) => r.text)).toEqual(["private", "*.corp.example"]);
    expect(serverEnv().urlPolicy.allow.map((r) => r.text)).toEqual(["10.1.0.0/16"]);
    resetServerEnv();
    process.env.PACTS_URL_DENY = "10.0.0.0/99";
    expect(() => serverEnv()).toThrow(/PACTS_URL_DENY: "10\.0\.0\.0\/99" has an invalid prefix length/);
  });
});

describe("S3 artifact store settings", () => {
  const base = () => {
    for (const k of Object.keys(process.env)) if (k.startsWith("ARTIFACTS_S3_")) delete process.env[k];
    process.env.DATABASE_URL = "postgresql://u@127.0.0.1:5432/x";
  };

  it("are off without a bucket, and parsed with defaults with one", () => {
    base();
    expect(serverEnv().s3).toBeNull();
    resetServerEnv();
    process.env.ARTIFACTS_S3_BUCKET = "pacts";
    expect(serverEnv().s3).toEqual({ bucket: "pacts", region: "us-east-1", endpoint: undefined, forcePathStyle: false, credentials: undefined, prefix: "" });
    resetServerEnv();
    Object.assign(process.env, {
      ARTIFACTS_S3_ENDPOINT: "http://127.0.0.1:9000",
      ARTIFACTS_S3_REGION: "eu-west-1",
      ARTIFACTS_S3_ACCESS_KEY_ID: "id",
      ARTIFACTS_S3_SECRET_ACCESS_KEY: "secret",
      ARTIFACTS_S3_FORCE_PATH_STYLE: "1",
      ARTIFACTS_S3_PREFIX: "ci/pacts/",
    });
    expect(serverEnv().s3).toEqual({
      bucket: "pacts",
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
      prefix: "ci/pacts/",
    });
  });

  it.each([
    [{ ARTIFACTS_S3_BUCKET: "b", ARTIFACTS_S3_ACCESS_KEY_ID: "id" }, /set both or neither/],
    [{ ARTIFACTS_S3_ENDPOINT: "http://127.0.0.1:9000" }, /ARTIFACTS_S3_BUCKET: required/],
    [{ ARTIFACTS_S3_BUCKET: "b", ARTIFACTS_S3_ENDPOINT: "not a url" }, /ARTIFACTS_S3_ENDPOINT/],
    [{ ARTIFACTS_S3_BUCKET: "b", ARTIFACTS_S3_FORCE_PATH_STYLE: "yes" }, /ARTIFACTS_S3_FORCE_PATH_STYLE/],
    [{ ARTIFACTS_S3_BUCKET: "b", ARTIFACTS_S3_PREFIX: "no-slash" }, /ARTIFACTS_S3_PREFIX/],
  ])("rejects %j", (vars, message) => {
    base();
    Object.assign(process.env, vars);
    expect(() => serverEnv()).toThrow(message);
  });
});
