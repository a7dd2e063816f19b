// The database every `pacts` command that touches storage opens the same way as the running product:
// DATABASE_URL (from the environment or the project's .env, loaded by the caller), else the project's embedded
// PostgreSQL (attached when live, started under its lock otherwise), with pending migrations applied.
import path from "node:path";
import type { PrismaClient } from "@/generated/prisma/client";
import { createDb } from "@/server/db";
import { resolveDatabaseUrl } from "@/server/db/embedded";
import { migrateDatabase } from "@/server/db/migrate";

export type CliDatabase = {
  url: string;
  db: PrismaClient;
  /** Disconnects, and stops the embedded cluster when this process started it. */
  close(): Promise<void>;
};

export async function openCliDatabase(io: {
  env: Record<string, string | undefined>;
  projectDir?: string;
  say: (msg: string) => void;
}): Promise<CliDatabase> {
  const projectDir = path.resolve(io.projectDir ?? process.cwd());
  const database = await resolveDatabaseUrl({
    databaseUrl: io.env.DATABASE_URL,
    projectDir,
    dataDir: path.resolve(io.env.PACTS_DATA_DIR?.trim() || path.join(projectDir, ".data")),
    handleSignals: false,
    log: io.say,
  });
  try {
    // A fresh embedded cluster has no tables, an older one may miss the newest; idempotent, usually a no-op.
    const migrated = await migrateDatabase(database.url);
    if (migrated.applied.length > 0) io.say(`applied ${migrated.applied.length} migration(s)`);
  } catch (err) {
    await database.stop().catch(() => undefined);
    throw err;
  }
  const db = createDb(database.url);
  return {
    url: database.url,
    db,
    async close() {
      await db.$disconnect().catch(() => undefined);
      await database.stop().catch(() => undefined);
    },
  };
}
