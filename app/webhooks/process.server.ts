// The `webhook` job: a verified delivery's work, done after Shopify had its 200, by the
// feature that owns it. Each is idempotent: a job attempt cut off half way is done again.
import type { ClaimedJob, JobPayloads } from "~/jobs/queue.server";
import { applyProductWebhook } from "~/catalog/product-webhooks.server";
import { applyOrderWebhook } from "~/orders/webhooks.server";
import { customerDataRequest, forgetShop, isInstalled, markUninstalled, redactCustomer } from "~/shop/lifecycle.server";
import type { Topic, TopicPayload } from "./payloads";

export async function webhookJob(job: ClaimedJob): Promise<void> {
  const { shop } = job;
  const { topic, payload } = job.payload as JobPayloads["webhook"];
  switch (topic as Topic) {
    case "products/create":
    case "products/update":
    case "products/delete":
      // Uninstalled (or erased) since the delivery: its news must not bring data back.
      if (await isInstalled(shop)) await applyProductWebhook(shop, topic, payload);
      return;
    case "orders/create":
    case "orders/updated":
      if (await isInstalled(shop)) await applyOrderWebhook(shop, payload as TopicPayload<"orders/create">);
      return;
    case "app/uninstalled":
      return markUninstalled(shop);
    case "customers/data_request": {
      const body = payload as TopicPayload<"customers/data_request">;
      await customerDataRequest(shop, body.customer.id, body.data_request.id);
      return;
    }
    case "customers/redact": {
      const body = payload as TopicPayload<"customers/redact">;
      await redactCustomer(shop, body.customer.id, body.orders_to_redact);
      return;
    }
    case "shop/redact":
      return forgetShop(shop);
    default:
      throw new Error(`No work is defined for ${topic} deliveries.`);
  }
}
