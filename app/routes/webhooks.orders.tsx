import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// orders/create and orders/updated (cancellations, refunds, edits): the order mirror and the
// learned model follow, each order counted once however often its webhooks repeat.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, ["orders/create", "orders/updated"]);
