-- CreateTable
CREATE TABLE "metric_counter_totals" (
    "team_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "metric_counter_totals_pkey" PRIMARY KEY ("team_id","metric","labels")
);

-- CreateTable
CREATE TABLE "metric_histogram_totals" (
    "team_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "le" DOUBLE PRECISION NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "metric_histogram_totals_pkey" PRIMARY KEY ("team_id","metric","labels","le")
);

-- Totals follow the hourly rollups: whatever an INSERT or UPDATE adds to an hourly row is added to its total, in
-- the same statement (so in the same transaction). Deleting hourly rows leaves the totals alone (monotonic).
CREATE FUNCTION "pacts_metric_counter_total"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "metric_counter_totals" ("team_id", "metric", "labels", "value")
  VALUES (NEW."team_id", NEW."metric", NEW."labels",
          NEW."value" - CASE WHEN TG_OP = 'UPDATE' THEN OLD."value" ELSE 0 END)
  ON CONFLICT ("team_id", "metric", "labels")
  DO UPDATE SET "value" = "metric_counter_totals"."value" + EXCLUDED."value";
  RETURN NULL;
END $$;

CREATE FUNCTION "pacts_metric_histogram_total"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "metric_histogram_totals" ("team_id", "metric", "labels", "le", "count", "sum")
  VALUES (NEW."team_id", NEW."metric", NEW."labels", NEW."le",
          NEW."count" - CASE WHEN TG_OP = 'UPDATE' THEN OLD."count" ELSE 0 END,
          NEW."sum" - CASE WHEN TG_OP = 'UPDATE' THEN OLD."sum" ELSE 0 END)
  ON CONFLICT ("team_id", "metric", "labels", "le")
  DO UPDATE SET "count" = "metric_histogram_totals"."count" + EXCLUDED."count",
                "sum" = "metric_histogram_totals"."sum" + EXCLUDED."sum";
  RETURN NULL;
END $$;

CREATE TRIGGER "metric_counters_total" AFTER INSERT OR UPDATE ON "metric_counters"
  FOR EACH ROW EXECUTE FUNCTION "pacts_metric_counter_total"();

CREATE TRIGGER "metric_histogram_buckets_total" AFTER INSERT OR UPDATE ON "metric_histogram_buckets"
  FOR EACH ROW EXECUTE FUNCTION "pacts_metric_histogram_total"();

-- Backfill from the hourly rows recorded before this migration.
INSERT INTO "metric_counter_totals" ("team_id", "metric", "labels", "value")
SELECT "team_id", "metric", "labels", sum("value") FROM "metric_counters" GROUP BY 1, 2, 3;

INSERT INTO "metric_histogram_totals" ("team_id", "metric", "labels", "le", "count", "sum")
SELECT "team_id", "metric", "labels", "le", sum("count"), sum("sum") FROM "metric_histogram_buckets" GROUP BY 1, 2, 3, 4;
