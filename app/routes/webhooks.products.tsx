import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { firstDelivery, webhookIdOf } from "~/shopify/webhook-receipts.server";
import { applyProductWebhook } from "~/catalog/product-webhooks.server";

// products/create, products/update, products/delete. Deliveries repeat and may arrive out
// of order or after uninstall: handled once per webhook id, and an older update never
// overwrites a newer one.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  if (await firstDelivery(webhookIdOf(context, request), context.shop, context.topic)) {
    await applyProductWebhook(context.shop, String(context.topic), context.payload);
  }
  return new Response(null, { status: 200 });
};
