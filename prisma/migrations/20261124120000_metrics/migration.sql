-- CreateTable
CREATE TABLE "metric_counters" (
    "team_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "metric_counters_pkey" PRIMARY KEY ("team_id","metric","labels","bucket_start")
);

-- CreateTable
CREATE TABLE "metric_histogram_buckets" (
    "team_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "le" DOUBLE PRECISION NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "metric_histogram_buckets_pkey" PRIMARY KEY ("team_id","metric","labels","bucket_start","le")
);

-- CreateTable
CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMP(3),

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "metric_counters_bucket_start_idx" ON "metric_counters"("bucket_start");

-- CreateIndex
CREATE INDEX "metric_histogram_buckets_bucket_start_idx" ON "metric_histogram_buckets"("bucket_start");

-- CreateIndex
CREATE INDEX "workers_heartbeat_at_idx" ON "workers"("heartbeat_at");
