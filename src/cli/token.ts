// `pacts token create --team <slug|name> [--name N]`: creates a team API token straight in the product's
// database (found like `pacts run` finds it: DATABASE_URL, then .env, then the embedded cluster) and prints
// the token once on stdout, so `PACTS_TOKEN=$(pacts token create --team demo)` works. Everything else goes
// to stderr. Exit 0 created, 2 usage error or unknown team, 1 anything else.
import { parseArgs } from "node:util";
import type { PrismaClient } from "@/generated/prisma/client";
import { createApiToken, ZApiTokenName } from "@/server/tokens/api-token";
import type { CliIo } from "./run";
import { openCliDatabase, type CliDatabase } from "./database";

// Same codes as `pacts run` (./run EXIT); not imported from there, which would load Playwright and the engine.
const EXIT = { FAILED: 1, USAGE: 2 } as const;

export type TokenCommandIo = Pick<CliIo, "stdout" | "stderr" | "env"> & Partial<Pick<CliIo, "projectDir">>;

export const TOKEN_USAGE = `Usage:
  pacts token create --team <slug|name> [--name N]
      Create an API token for a team and print it once on stdout (store it as PACTS_TOKEN).
`;

const write = (out: NodeJS.WritableStream, text: string) =>
  new Promise<void>((resolve) => {
    out.write(text, () => resolve());
  });

/** The team by slug, else by exact name when that name is unique. */
export async function findTeam(
  db: PrismaClient,
  ref: string,
): Promise<{ ok: true; team: { id: string; slug: string; name: string } } | { ok: false; message: string }> {
  const select = { id: true, slug: true, name: true } as const;
  const bySlug = await db.team.findUnique({ where: { slug: ref }, select });
  if (bySlug) return { ok: true, team: bySlug };
  const byName = await db.team.findMany({ where: { name: ref }, select, take: 2 });
  if (byName.length === 1) return { ok: true, team: byName[0]! };
  if (byName.length > 1) return { ok: false, message: `several teams are named "${ref}"; use the team's slug` };
  const known = await db.team.findMany({ select: { slug: true }, orderBy: { createdAt: "asc" }, take: 20 });
  const hint = known.length > 0 ? ` Known team slugs: ${known.map((t) => t.slug).join(", ")}` : " There are no teams yet.";
  return { ok: false, message: `no team with slug or name "${ref}".${hint}` };
}

export async function tokenCommand(argv: string[], io: TokenCommandIo): Promise<number> {
  const usage = async (message: string) => {
    await write(io.stderr, `pacts token: ${message}\n\n${TOKEN_USAGE}`);
    return EXIT.USAGE;
  };
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === "help") {
    await write(io.stdout, TOKEN_USAGE);
    return 0;
  }
  if (sub !== "create") return usage(sub === undefined ? "missing subcommand" : `unknown subcommand "${sub}"`);
  let values: { team?: string; name?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: { team: { type: "string" }, name: { type: "string" } },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const teamRef = values.team?.trim();
  if (!teamRef) return usage("--team <slug|name> is required");
  const name = ZApiTokenName.safeParse(values.name ?? `CLI token ${new Date().toISOString().slice(0, 16).replace("T", " ")}`);
  if (!name.success) return usage(`--name: ${name.error.issues[0]?.message ?? "invalid"}`);

  const say = (msg: string) => void io.stderr.write(`[pacts] ${msg}\n`);
  let database: CliDatabase | undefined;
  try {
    database = await openCliDatabase({ ...io, say });
    const db = database.db;
    const found = await findTeam(db, teamRef);
    if (!found.ok) {
      await write(io.stderr, `pacts token: ${found.message}\n`);
      return EXIT.USAGE;
    }
    const created = await createApiToken(db, { teamId: found.team.id, name: name.data });
    await write(io.stdout, `${created.token}\n`);
    await write(
      io.stderr,
      `Created API token "${created.name}" (${created.prefix}…) for team ${found.team.slug}. It is shown only once: store it now.\n`,
    );
    return 0;
  } catch (err) {
    await write(io.stderr, `pacts token: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.FAILED;
  } finally {
    await database?.close();
  }
}
