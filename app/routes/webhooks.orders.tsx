import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { firstDelivery, webhookIdOf } from "~/shopify/webhook-receipts.server";
import { applyOrderWebhook } from "~/learning/order-webhooks.server";

// orders/create and orders/updated (cancellations, refunds, edits). Deliveries repeat:
// handled once per webhook id, so a duplicate never counts an order twice.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  if (await firstDelivery(webhookIdOf(context, request), context.shop, context.topic)) {
    await applyOrderWebhook(context.shop, context.payload);
  }
  return new Response(null, { status: 200 });
};
