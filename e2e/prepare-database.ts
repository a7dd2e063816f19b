// Runs BEFORE the e2e web server and worker start (Playwright starts webServer processes before
// globalSetup, so a database dropped in globalSetup would be pulled from under a running worker).
// Drops and recreates `pacts_e2e`, migrates it and seeds the admin of team A. Invoked as
// `tsx e2e/prepare-database.ts` from the first webServer command.
import { rm } from "node:fs/promises";
import pg from "pg";
import { createDb } from "@/server/db";
import { migrateDatabase } from "@/server/db/migrate";
import { seedDatabase } from "@/server/seed";
import { ADMIN_A, ADMIN_URL, BASE_URL, DATABASE_URL, DATA_DIR, E2E_DB_NAME } from "./e2e-env";

async function recreateDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${E2E_DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${E2E_DB_NAME}`);
  } finally {
    await admin.end();
  }
}

export async function prepareE2eDatabase(): Promise<void> {
  await rm(DATA_DIR, { recursive: true, force: true });
  await recreateDatabase();
  await migrateDatabase(DATABASE_URL);
  const db = createDb(DATABASE_URL);
  try {
    await seedDatabase(db, { adminEmail: ADMIN_A.email, adminPassword: ADMIN_A.password, appUrl: BASE_URL, queueDemoRun: false });
  } finally {
    await db.$disconnect();
  }
}

await prepareE2eDatabase();
console.log(`e2e database ${E2E_DB_NAME} ready`);
