-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('PENDING', 'RUNNING', 'PASSED', 'FAILED', 'ERROR', 'CANCELLED', 'BLOCKED');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('MANUAL', 'SCHEDULE', 'API', 'CLI', 'SEED');

-- CreateEnum
CREATE TYPE "RunVerdict" AS ENUM ('CLEAN', 'SELECTOR_DRIFT_HEALED', 'SELECTOR_DRIFT_NOT_HEALED', 'ASSERTION_FAILED', 'TIMEOUT', 'NAVIGATION_ERROR', 'BLOCKED', 'APP_ERROR');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('PENDING', 'RUNNING', 'PASSED', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "ArtifactType" AS ENUM ('screenshot', 'test_file', 'html', 'trace', 'log');

-- CreateEnum
CREATE TYPE "HealPolicy" AS ENUM ('FAIL', 'PROCEED_AND_FLAG');

-- CreateEnum
CREATE TYPE "HealOutcome" AS ENUM ('HEALED', 'UNVERIFIED', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "demo_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'MEMBER',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tests" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "created_by_id" TEXT,
    "name" TEXT NOT NULL,
    "start_url" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "data_rows" JSONB NOT NULL DEFAULT '[]',
    "heal_policy" "HealPolicy" NOT NULL DEFAULT 'FAIL',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "test_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_run_at" TIMESTAMP(3),
    "last_run_at" TIMESTAMP(3),
    "locked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "req_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "test_id" TEXT,
    "schedule_id" TEXT,
    "triggered_by_id" TEXT,
    "test_name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "data_row" JSONB NOT NULL DEFAULT '{}',
    "heal_policy" "HealPolicy" NOT NULL DEFAULT 'FAIL',
    "status" "RunStatus" NOT NULL DEFAULT 'PENDING',
    "verdict" "RunVerdict",
    "trigger" "RunTrigger" NOT NULL DEFAULT 'MANUAL',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "worker_id" TEXT,
    "locked_at" TIMESTAMP(3),
    "heartbeat_at" TIMESTAMP(3),
    "start_time" TIMESTAMP(3),
    "end_time" TIMESTAMP(3),
    "total_steps" INTEGER NOT NULL DEFAULT 0,
    "completed_steps" INTEGER NOT NULL DEFAULT 0,
    "heal_rounds" INTEGER NOT NULL DEFAULT 0,
    "heal_events" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "error_message" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("req_id")
);

-- CreateTable
CREATE TABLE "run_steps" (
    "id" TEXT NOT NULL,
    "req_id" TEXT NOT NULL,
    "step_idx" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "element" TEXT,
    "value" TEXT,
    "status" "StepStatus" NOT NULL DEFAULT 'PENDING',
    "strategy" TEXT,
    "selector" TEXT,
    "confidence" DOUBLE PRECISION,
    "cache_source" TEXT,
    "healed" BOOLEAN NOT NULL DEFAULT false,
    "heal_attempts" INTEGER NOT NULL DEFAULT 0,
    "execution_time_ms" INTEGER,
    "error_message" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "id" TEXT NOT NULL,
    "req_id" TEXT NOT NULL,
    "step_idx" INTEGER,
    "artifact_type" "ArtifactType" NOT NULL,
    "file_path" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "file_size" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heal_events" (
    "id" TEXT NOT NULL,
    "req_id" TEXT NOT NULL,
    "step_idx" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "element_name" TEXT NOT NULL,
    "url_pattern" TEXT NOT NULL,
    "outcome" "HealOutcome" NOT NULL,
    "strategy" TEXT,
    "old_selector" TEXT,
    "new_selector" TEXT,
    "score" DOUBLE PRECISION,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "attempts" JSONB NOT NULL DEFAULT '[]',
    "chosen" JSONB,
    "duration_ms" INTEGER NOT NULL,
    "screenshot_artifact_id" TEXT,
    "rest_passed" BOOLEAN,
    "wrong_heal" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "heal_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heal_history" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "element_name" TEXT NOT NULL,
    "url_pattern" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "success_count" INTEGER NOT NULL DEFAULT 0,
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "total_heal_time_ms" BIGINT NOT NULL DEFAULT 0,
    "avg_heal_time_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "last_used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "heal_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "selector_cache_entries" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "cache_key" TEXT NOT NULL,
    "url_pattern" TEXT NOT NULL,
    "element_name" TEXT NOT NULL,
    "selector" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "fingerprint" JSONB,
    "stable" BOOLEAN NOT NULL DEFAULT true,
    "hit_count" INTEGER NOT NULL DEFAULT 0,
    "miss_count" INTEGER NOT NULL DEFAULT 0,
    "last_verified_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "selector_cache_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "created_by_id" TEXT,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_slug_key" ON "teams"("slug");

-- CreateIndex
CREATE INDEX "memberships_team_id_idx" ON "memberships"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_user_id_team_id_key" ON "memberships"("user_id", "team_id");

-- CreateIndex
CREATE INDEX "tests_created_by_id_idx" ON "tests"("created_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "tests_team_id_name_key" ON "tests"("team_id", "name");

-- CreateIndex
CREATE INDEX "schedules_team_id_idx" ON "schedules"("team_id");

-- CreateIndex
CREATE INDEX "schedules_test_id_idx" ON "schedules"("test_id");

-- CreateIndex
CREATE INDEX "schedules_enabled_next_run_at_idx" ON "schedules"("enabled", "next_run_at");

-- CreateIndex
CREATE INDEX "runs_team_id_created_at_idx" ON "runs"("team_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "runs_test_id_idx" ON "runs"("test_id");

-- CreateIndex
CREATE INDEX "runs_schedule_id_idx" ON "runs"("schedule_id");

-- CreateIndex
CREATE INDEX "runs_triggered_by_id_idx" ON "runs"("triggered_by_id");

-- CreateIndex
CREATE INDEX "runs_status_created_at_idx" ON "runs"("status", "created_at");

-- CreateIndex
CREATE INDEX "runs_test_name_idx" ON "runs"("test_name");

-- CreateIndex
CREATE UNIQUE INDEX "run_steps_req_id_step_idx_key" ON "run_steps"("req_id", "step_idx");

-- CreateIndex
CREATE INDEX "artifacts_req_id_step_idx_idx" ON "artifacts"("req_id", "step_idx");

-- CreateIndex
CREATE INDEX "artifacts_created_at_idx" ON "artifacts"("created_at");

-- CreateIndex
CREATE INDEX "heal_events_req_id_step_idx_idx" ON "heal_events"("req_id", "step_idx");

-- CreateIndex
CREATE INDEX "heal_events_created_at_idx" ON "heal_events"("created_at");

-- CreateIndex
CREATE INDEX "heal_history_strategy_idx" ON "heal_history"("strategy");

-- CreateIndex
CREATE UNIQUE INDEX "heal_history_team_id_url_pattern_element_name_strategy_key" ON "heal_history"("team_id", "url_pattern", "element_name", "strategy");

-- CreateIndex
CREATE UNIQUE INDEX "selector_cache_entries_cache_key_key" ON "selector_cache_entries"("cache_key");

-- CreateIndex
CREATE INDEX "selector_cache_entries_expires_at_idx" ON "selector_cache_entries"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "selector_cache_entries_team_id_url_pattern_element_name_key" ON "selector_cache_entries"("team_id", "url_pattern", "element_name");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_team_id_idx" ON "api_tokens"("team_id");

-- CreateIndex
CREATE INDEX "api_tokens_created_by_id_idx" ON "api_tokens"("created_by_id");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tests" ADD CONSTRAINT "tests_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tests" ADD CONSTRAINT "tests_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_test_id_fkey" FOREIGN KEY ("test_id") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_test_id_fkey" FOREIGN KEY ("test_id") REFERENCES "tests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_triggered_by_id_fkey" FOREIGN KEY ("triggered_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_req_id_fkey" FOREIGN KEY ("req_id") REFERENCES "runs"("req_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_req_id_fkey" FOREIGN KEY ("req_id") REFERENCES "runs"("req_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heal_events" ADD CONSTRAINT "heal_events_req_id_fkey" FOREIGN KEY ("req_id") REFERENCES "runs"("req_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heal_history" ADD CONSTRAINT "heal_history_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "selector_cache_entries" ADD CONSTRAINT "selector_cache_entries_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
