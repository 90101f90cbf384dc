import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { kindOfSegment } from "~/admin/offer-kinds";
import { exportOffers } from "~/offers/transfer";
import { listOffers } from "~/offers/repository.server";

// /app/export/bundles (upgrades, post-purchase): the page's offers as a JSON file.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOfSegment(params.kind);
  if (!kind) throw new Response("Not found", { status: 404 });
  const body = exportOffers(await listOffers(session.shop, kind), new Date());
  const name = `uplift-${params.kind}-${new Date().toISOString().slice(0, 10)}.json`;
  return new Response(body, { headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` } });
};
