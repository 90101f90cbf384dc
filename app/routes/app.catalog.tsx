import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { searchCatalog } from "~/catalog/search.server";

// The offer editor's pickers: products (with their variants and prices) or collections
// from the synced catalog, matching ?q=.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const type = url.searchParams.get("type") === "collections" ? "collections" : "products";
  return Response.json(await searchCatalog(session.shop, type, url.searchParams.get("q") ?? ""));
};
