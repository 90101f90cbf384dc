import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { firstDelivery, webhookIdOf } from "~/shopify/webhook-receipts.server";
import { applyProductWebhook } from "~/catalog/product-webhooks.server";
import prisma from "~/db.server";
import { requestOfferSync } from "~/shopify/offer-metafields.server";

// products/create, products/update, products/delete. Deliveries repeat and may arrive out
// of order or after uninstall: handled once per webhook id, and an older update never
// overwrites a newer one.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  if (await firstDelivery(webhookIdOf(context, request), context.shop, context.topic)) {
    await applyProductWebhook(context.shop, String(context.topic), context.payload);
    // A new price or a sold-out variant changes what offers show: bring the metafields up
    // to date, after answering Shopify (the sync may take a while; a failure is retried).
    if (context.admin && (await prisma.offer.count({ where: { shop: context.shop } }))) void requestOfferSync(context.shop, context.admin);
  }
  return new Response(null, { status: 200 });
};
