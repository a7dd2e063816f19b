-- Fair claims (src/server/queue/claim.ts) look up, per team with queued runs, how many of its runs are RUNNING
-- and when it last had one claimed: both are index lookups with these.
CREATE INDEX "runs_team_id_status_idx" ON "runs"("team_id", "status");
CREATE INDEX "runs_team_id_locked_at_idx" ON "runs"("team_id", "locked_at");
