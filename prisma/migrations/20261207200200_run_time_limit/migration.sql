-- A per-test limit on a run's total time (NULL: the default, 15 minutes), snapshotted into each run at queue time.
ALTER TABLE "tests" ADD COLUMN "run_time_limit_sec" INTEGER;
ALTER TABLE "runs" ADD COLUMN "time_limit_sec" INTEGER;
