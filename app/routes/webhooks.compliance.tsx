import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// The mandatory privacy webhooks, each carried out once, as a job.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, ["customers/data_request", "customers/redact", "shop/redact"]);
