import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { authenticate } from "~/shopify.server";
import { boundedRequest } from "~/webhooks/receive.server";

// Setting the granted scopes is idempotent, so repeated deliveries are harmless.
export const action = async ({ request }: ActionFunctionArgs) => {
  const bounded = await boundedRequest(request);
  if (bounded instanceof Response) return bounded;
  const { payload, session } = await authenticate.webhook(bounded);
  const current = (payload as { current?: string[] }).current;
  if (session && Array.isArray(current)) {
    await prisma.session.update({ where: { id: session.id }, data: { scope: current.join(",") } });
  }
  return new Response(null, { status: 200 });
};
