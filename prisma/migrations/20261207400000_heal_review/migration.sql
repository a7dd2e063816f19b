-- CreateEnum
CREATE TYPE "HealReviewDecision" AS ENUM ('APPROVED', 'REJECTED', 'ROLLED_BACK');

-- CreateTable
CREATE TABLE "heal_reviews" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "heal_event_id" TEXT NOT NULL,
    "decision" "HealReviewDecision" NOT NULL,
    "reason" TEXT,
    "reviewer_id" TEXT,
    "reviewer_email" TEXT NOT NULL,
    "previous" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "heal_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heal_rejections" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "url_pattern" TEXT NOT NULL,
    "element_name" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "heal_event_id" TEXT,
    "reviewer_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "heal_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "heal_reviews_heal_event_id_created_at_idx" ON "heal_reviews"("heal_event_id", "created_at");

-- CreateIndex
CREATE INDEX "heal_reviews_team_id_created_at_idx" ON "heal_reviews"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "heal_reviews_reviewer_id_idx" ON "heal_reviews"("reviewer_id");

-- CreateIndex
CREATE UNIQUE INDEX "heal_rejections_team_id_url_pattern_element_name_selector_key" ON "heal_rejections"("team_id", "url_pattern", "element_name", "selector");

-- AddForeignKey
ALTER TABLE "heal_reviews" ADD CONSTRAINT "heal_reviews_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heal_reviews" ADD CONSTRAINT "heal_reviews_heal_event_id_fkey" FOREIGN KEY ("heal_event_id") REFERENCES "heal_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heal_reviews" ADD CONSTRAINT "heal_reviews_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heal_rejections" ADD CONSTRAINT "heal_rejections_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
