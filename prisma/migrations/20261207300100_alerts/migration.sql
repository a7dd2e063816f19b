-- CreateEnum
CREATE TYPE "AlertEvent" AS ENUM ('FAILURE', 'RECOVERY', 'HEAL_REVIEW');

-- CreateEnum
CREATE TYPE "AlertChannel" AS ENUM ('WEBHOOK', 'SLACK', 'EMAIL');

-- CreateEnum
CREATE TYPE "AlertDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "test_id" TEXT,
    "event" "AlertEvent" NOT NULL,
    "threshold" INTEGER NOT NULL DEFAULT 1,
    "channel" "AlertChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "secret" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "run_id" TEXT,
    "event" "AlertEvent" NOT NULL,
    "is_test" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "status" "AlertDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "log" JSONB NOT NULL DEFAULT '[]',
    "delivered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_rules_team_id_idx" ON "alert_rules"("team_id");

-- CreateIndex
CREATE INDEX "alert_rules_test_id_idx" ON "alert_rules"("test_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_rule_id_run_id_key" ON "alert_deliveries"("rule_id", "run_id");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_next_attempt_at_idx" ON "alert_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "alert_deliveries_team_id_created_at_idx" ON "alert_deliveries"("team_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_test_id_fkey" FOREIGN KEY ("test_id") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
