// `npm run db:migrate`: apply pending SQL migrations to DATABASE_URL (see src/server/db/migrate.ts).
import { migrateDatabase } from "@/server/db/migrate";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    console.error("db:migrate: DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pacts)");
    process.exit(2);
  }
  const { applied } = await migrateDatabase(url, { log: (msg) => console.log(`db:migrate: ${msg}`) });
  console.log(applied.length ? `db:migrate: applied ${applied.length}: ${applied.join(", ")}` : "db:migrate: nothing to apply");
}

main().catch((err: unknown) => {
  console.error(`db:migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
