// `pacts token create` against its own real database (DATABASE_URL in io.env, as bin/pacts.mjs passes it):
// the printed token works with verifyApiToken for the right team, and usage errors exit 2.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyApiToken } from "@/server/tokens/api-token";
import { createTestDatabase } from "../../test/helpers/test-db";
import { tokenCommand } from "./token";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let demoId: string;

beforeAll(async () => {
  tdb = await createTestDatabase("cli/token");
  demoId = (await tdb.db.team.create({ data: { name: "Demo team", slug: "demo" } })).id;
  await tdb.db.team.create({ data: { name: "Twin", slug: "twin-1" } });
  await tdb.db.team.create({ data: { name: "Twin", slug: "twin-2" } });
});

afterAll(async () => {
  await tdb?.drop();
});

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString("utf8");
      cb();
    },
  });
  return { stream, text: () => text };
}

async function token(argv: string[]) {
  const out = capture();
  const err = capture();
  const code = await tokenCommand(argv, { stdout: out.stream, stderr: err.stream, env: { DATABASE_URL: tdb.url }, projectDir: process.cwd() });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe("pacts token create", () => {
  it.each([["demo"], ["Demo team"]])("--team %s prints one working token on stdout", async (team) => {
    const r = await token(["create", "--team", team, "--name", "GitHub Actions"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pacts_[A-Za-z0-9_-]{43}\n$/);
    expect(r.stderr).toContain("shown only once");
    const verified = await verifyApiToken(tdb.db, `Bearer ${r.stdout.trim()}`);
    expect(verified?.teamId).toBe(demoId);
    const row = await tdb.db.apiToken.findUniqueOrThrow({ where: { id: verified!.tokenId } });
    expect(row.name).toBe("GitHub Actions");
  });

  it("gives the token a default name", async () => {
    const r = await token(["create", "--team", "demo"]);
    expect(r.code).toBe(0);
    const verified = await verifyApiToken(tdb.db, `Bearer ${r.stdout.trim()}`);
    expect((await tdb.db.apiToken.findUniqueOrThrow({ where: { id: verified!.tokenId } })).name).toMatch(/^CLI token \d{4}-/);
  });

  it.each([
    [["create", "--team", "nope"], 'no team with slug or name "nope"'],
    [["create", "--team", "Twin"], 'several teams are named "Twin"'],
    [["create"], "--team <slug|name> is required"],
    [["create", "--team", "demo", "--name", "  "], "--name"],
    [["create", "--team", "demo", "--wat"], "Unknown option"],
    [["destroy"], 'unknown subcommand "destroy"'],
    [[], "missing subcommand"],
  ])("%j -> exit 2", async (argv, message) => {
    const before = await tdb.db.apiToken.count();
    const r = await token(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(await tdb.db.apiToken.count()).toBe(before);
  });
});
