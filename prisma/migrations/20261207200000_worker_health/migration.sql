-- A worker reports whether it can do its job: HEALTHY, or BROWSER_UNAVAILABLE (Chromium cannot launch; it then
-- claims nothing and backs off) with the error, shown on the dashboard and as pacts_workers_unhealthy.
CREATE TYPE "WorkerHealth" AS ENUM ('HEALTHY', 'BROWSER_UNAVAILABLE');

ALTER TABLE "workers"
  ADD COLUMN "health" "WorkerHealth" NOT NULL DEFAULT 'HEALTHY',
  ADD COLUMN "health_error" TEXT,
  ADD COLUMN "health_changed_at" TIMESTAMP(3);
