-- CreateEnum
CREATE TYPE "TraceMode" AS ENUM ('ALWAYS', 'FAILED_OR_HEALED');

-- AlterTable
ALTER TABLE "tests" ADD COLUMN "trace_mode" "TraceMode" NOT NULL DEFAULT 'ALWAYS';

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "trace_mode" "TraceMode" NOT NULL DEFAULT 'ALWAYS';
