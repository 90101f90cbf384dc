import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { firstDelivery, webhookIdOf } from "~/shopify/webhook-receipts.server";
import { customerDataReport, forgetShop, redactCustomer } from "~/shop/lifecycle.server";

interface CompliancePayload {
  customer?: { id: number };
  orders_to_redact?: number[];
}

// The mandatory privacy webhooks. Deliveries repeat; each request is carried out once.
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  const { shop } = context;
  const topic = String(context.topic).toLowerCase().replace("_", "/");
  if (!(await firstDelivery(webhookIdOf(context, request), shop, topic))) return new Response(null, { status: 200 });
  const payload = context.payload as CompliancePayload;
  switch (topic) {
    case "customers/data_request": {
      const report = await customerDataReport(shop, payload.customer?.id ?? 0);
      // Uplift holds no contact details; the merchant answers the customer from Shopify.
      console.info(`uplift: data request for ${report.customerId} on ${shop}: ${report.orders.length} orders held`);
      break;
    }
    case "customers/redact":
      await redactCustomer(shop, payload.customer?.id ?? 0, payload.orders_to_redact ?? []);
      break;
    case "shop/redact":
      await forgetShop(shop);
      break;
  }
  return new Response(null, { status: 200 });
};
