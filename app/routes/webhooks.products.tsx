import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// products/create, products/update, products/delete: the catalog mirror follows (an older
// update never overwrites a newer one) and the offers' metafields are brought up to date.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, ["products/create", "products/update", "products/delete"]);
