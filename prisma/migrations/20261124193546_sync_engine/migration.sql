-- AlterTable
ALTER TABLE "sync" ADD COLUMN     "nextRunAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "sync_run" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "plan" JSONB;

-- AlterTable
ALTER TABLE "record_outcome" ADD COLUMN     "keyHash" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "sync_enabled_nextRunAt_idx" ON "sync"("enabled", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "record_outcome_runId_keyHash_key" ON "record_outcome"("runId", "keyHash");


-- Runs of one sync never overlap: at most one run per sync is not yet finished, whatever triggers it.
CREATE UNIQUE INDEX "sync_run_one_active_per_sync" ON "sync_run"("syncId") WHERE "status" NOT IN ('succeeded', 'failed', 'cancelled');
