import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { learnedCompanionEvidence } from "~/recommend/learned.server";
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";

// The offer editor's preview of a bundle's learned companions: what the shop's orders say
// ?product= is bought with, best first, with the evidence for each.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const productId = new URL(request.url).searchParams.get("product") ?? "";
  const evidence = productId ? await learnedCompanionEvidence(session.shop, productId) : [];
  const { products } = await loadOfferCatalog(session.shop, evidence.map((e) => e.productId));
  return Response.json({ productId, companions: evidence.flatMap((e) => { const product = products.find((p) => p.id === e.productId); return product ? [{ ...e, product }] : []; }) });
};
