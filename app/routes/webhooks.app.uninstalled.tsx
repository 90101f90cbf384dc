import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { markUninstalled } from "~/shop/lifecycle.server";
import { firstDelivery, webhookIdOf } from "~/shopify/webhook-receipts.server";

// Deliveries repeat and may arrive after the shop's data is gone: a second one changes nothing.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  if (await firstDelivery(webhookIdOf(context, request), context.shop, context.topic)) {
    await markUninstalled(context.shop);
  }
  return new Response(null, { status: 200 });
};
