import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { dataRequestReport } from "~/shop/lifecycle.server";

// One data request's report as a JSON file, for the merchant to send to the customer.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const report = await dataRequestReport(session.shop, params.id ?? "");
  if (!report) throw new Response("Not found", { status: 404 });
  return new Response(report.json, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="uplift-data-request-${report.requestId}.json"` },
  });
};
