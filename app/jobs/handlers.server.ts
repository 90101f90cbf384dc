// Which function does each job. Each lives in its feature's folder; this is the one list.
import type { ClaimedJob, JobName } from "./queue.server";
import { catalogSyncJob } from "~/catalog/sync.server";
import { ordersBackfillJob } from "~/orders/backfill.server";
import { offerSyncJob } from "~/offers/sync.server";
import { offerImportJob } from "~/offers/imports.server";
import { offerTickJob } from "~/offers/functions.server";
import { foldJob, rebuildJob } from "~/recommend/learned.server";
import { publishJob } from "~/recommend/publish.server";
import { dealsSyncJob } from "~/deals/deals.server";
import { webhookJob } from "~/webhooks/process.server";
import { tokenMigrationJob } from "~/shop/tokens.server";
import { pixelConnectJob } from "~/events/connect.server";

export const handlers: Record<JobName, (job: ClaimedJob) => Promise<void>> = {
  "catalog.sync": catalogSyncJob,
  "orders.backfill": ordersBackfillJob,
  "offers.sync": offerSyncJob,
  "offers.import": offerImportJob,
  "offers.tick": offerTickJob,
  "recommend.rebuild": rebuildJob,
  "recommend.fold": foldJob,
  "tokens.migrate": tokenMigrationJob,
  "pixel.connect": pixelConnectJob,
  "recommend.publish": publishJob,
  "deals.sync": dealsSyncJob,
  webhook: webhookJob,
};
