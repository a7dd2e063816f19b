-- When the current (or final) attempt was claimed: a run's duration is that attempt's execution, while
-- start_time stays the first claim (queue wait = start_time - created_at; earlier attempts = between the two).
ALTER TABLE "runs" ADD COLUMN "attempt_started_at" TIMESTAMP(3);
UPDATE "runs" SET "attempt_started_at" = "start_time" WHERE "start_time" IS NOT NULL;
