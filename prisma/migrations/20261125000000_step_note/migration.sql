-- AlterTable
ALTER TABLE "run_steps" ADD COLUMN "note" TEXT;
