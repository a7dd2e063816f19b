// `npm run db:seed`: upsert the admin, demo team and demo test into DATABASE_URL (see src/server/seed.ts).
// Env: DATABASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD (>= 8 chars), APP_URL (default http://localhost:3000),
// SEED_DEMO_RUN=1 to also queue one demo run.
import { createDb } from "@/server/db";
import { seedDatabase } from "@/server/seed";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  const adminEmail = process.env.ADMIN_EMAIL?.trim();
  const adminPassword = process.env.ADMIN_PASSWORD ?? "";
  const missing = [!url && "DATABASE_URL", !adminEmail && "ADMIN_EMAIL", !adminPassword && "ADMIN_PASSWORD"].filter(Boolean);
  if (missing.length > 0 || !url || !adminEmail) {
    console.error(`db:seed: ${missing.join(", ")} not set`);
    process.exit(2);
  }
  const appUrl = process.env.APP_URL?.trim() || "http://localhost:3000";
  const db = createDb(url);
  try {
    const r = await seedDatabase(db, { adminEmail, adminPassword, appUrl, queueDemoRun: process.env.SEED_DEMO_RUN === "1" });
    console.log(`db:seed: admin ${adminEmail} (${r.adminId}), team demo (${r.teamId}), test "Demo login" (${r.demoTestId})` + (r.runId ? `, queued run ${r.runId}` : ""));
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(`db:seed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
