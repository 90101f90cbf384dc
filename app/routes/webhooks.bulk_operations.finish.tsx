import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { boundedRequest } from "~/webhooks/receive.server";

// The order backfill polls its bulk operation, so this delivery needs no work; it is
// acknowledged so Shopify does not retry it.
export const action = async ({ request }: ActionFunctionArgs) => {
  const bounded = await boundedRequest(request);
  if (bounded instanceof Response) return bounded;
  await authenticate.webhook(bounded);
  return new Response(null, { status: 200 });
};
