-- CreateTable
CREATE TABLE "team_retention" (
    "team_id" TEXT NOT NULL,
    "run_days" INTEGER NOT NULL DEFAULT 30,
    "heal_event_days" INTEGER NOT NULL DEFAULT 30,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "team_retention_pkey" PRIMARY KEY ("team_id")
);

-- CreateTable
CREATE TABLE "artifact_deletions" (
    "storage_key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_deletions_pkey" PRIMARY KEY ("storage_key")
);

-- CreateIndex
CREATE INDEX "artifact_deletions_next_attempt_at_idx" ON "artifact_deletions"("next_attempt_at");

-- AddForeignKey
ALTER TABLE "team_retention" ADD CONSTRAINT "team_retention_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
