// Runs after the web server and worker are up (see prepare-database.ts for the database itself).
// Creates team B with its own user, and one finished run with a screenshot per team, written straight to
// the database and artifact folder, so the isolation spec does not depend on the worker.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@/generated/prisma/client";
import { createDb } from "@/server/db";
import { hashPassword } from "@/server/password";
import { writeArtifact } from "@/server/storage/artifact-store";
import { LocalArtifactStore } from "@/server/storage/store";
import { ADMIN_A, ARTIFACTS_DIR, BASE_URL, DATABASE_URL, STATE_FILE, USER_B, type E2eState } from "./e2e-env";

// A valid 2x2 PNG, so the browser can decode it (naturalWidth > 0).
const PNG_2X2 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

async function createFixtureRun(db: PrismaClient, teamId: string, label: string) {
  const run = await db.run.create({
    data: {
      teamId,
      testName: `Isolation fixture ${label}`,
      url: `${BASE_URL}/demo/login`,
      steps: [],
      status: "PASSED",
      verdict: "CLEAN",
      trigger: "API",
      totalSteps: 1,
      completedSteps: 1,
      durationMs: 10,
      startTime: new Date(),
      endTime: new Date(),
      runSteps: { create: [{ stepIdx: 0, text: "Reload the page", action: "reload", status: "PASSED", durationMs: 5 }] },
    },
    select: { id: true },
  });
  const shot = await writeArtifact(
    db,
    { runId: run.id, stepIdx: 0, type: "SCREENSHOT", name: "step-0.png", bytes: PNG_2X2, mime: "image/png" },
    new LocalArtifactStore(ARTIFACTS_DIR),
  );
  return { runId: run.id, screenshotId: shot.id };
}

export default async function globalSetup(): Promise<void> {
  const db = createDb(DATABASE_URL);
  try {
    const admin = await db.user.findUniqueOrThrow({
      where: { email: ADMIN_A.email },
      select: { memberships: { select: { teamId: true } } },
    });
    const teamAId = admin.memberships[0]?.teamId;
    if (!teamAId) throw new Error("seed did not make the e2e admin a team member");

    const teamB = await db.team.create({ data: { name: "Team B", slug: "team-b" }, select: { id: true } });
    await db.user.create({
      data: {
        email: USER_B.email,
        name: "Team B user",
        passwordHash: await hashPassword(USER_B.password),
        memberships: { create: { teamId: teamB.id, role: "OWNER" } },
      },
    });

    const state: E2eState = {
      teamA: { id: teamAId, ...(await createFixtureRun(db, teamAId, "A")) },
      teamB: { id: teamB.id, ...(await createFixtureRun(db, teamB.id, "B")) },
    };
    await mkdir(path.dirname(STATE_FILE), { recursive: true });
    await writeFile(STATE_FILE, JSON.stringify(state, null, 2));
  } finally {
    await db.$disconnect();
  }
}
