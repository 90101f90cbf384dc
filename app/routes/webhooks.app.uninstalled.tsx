import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// The access token is dead: sessions go, data stays until shop/redact (48 hours later).
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, ["app/uninstalled"]);
