// The `pixel.connect` job: after install, the shop's web pixel is created with the settings
// that point it at this app (webPixelCreate); a shop that has it already (a reinstall, a new
// app URL) gets its settings updated instead (webPixelUpdate). Durable: enqueued with the
// install, retried like every job, and a second run changes nothing.
import type { ClaimedJob } from "~/jobs/queue.server";
import { adminQuery, assertNoUserErrors, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import { shopAdmin } from "~/shopify/shop-admin.server";
import { WEB_PIXEL_CREATE_MUTATION, WEB_PIXEL_QUERY, WEB_PIXEL_UPDATE_MUTATION } from "~/shopify/pixel.queries";
import { pixelSettings } from "./pixel-key.server";

interface PixelPayload { webPixel: { id: string; settings: unknown } | null; userErrors: { code: string | null; field: string[] | null; message: string }[] }

/** Creates or updates the shop's pixel; answers its id. */
export async function connectPixel(shop: string, admin: AdminGraphqlClient): Promise<string> {
  // Shopify's examples pass the settings as a JSON string (the JSON scalar takes either).
  const webPixel = { settings: JSON.stringify(pixelSettings(shop)) };
  const created = await adminQuery<{ webPixelCreate: PixelPayload }>(admin, WEB_PIXEL_CREATE_MUTATION, { webPixel });
  const { userErrors } = created.webPixelCreate;
  if (!userErrors.some((e) => e.code === "TAKEN")) {
    assertNoUserErrors(created.webPixelCreate, "Shopify refused the web pixel");
    return created.webPixelCreate.webPixel!.id;
  }
  const existing = await adminQuery<{ webPixel: { id: string } | null }>(admin, WEB_PIXEL_QUERY);
  const updated = await adminQuery<{ webPixelUpdate: PixelPayload }>(admin, WEB_PIXEL_UPDATE_MUTATION, { id: existing.webPixel!.id, webPixel });
  assertNoUserErrors(updated.webPixelUpdate, "Shopify refused the web pixel's settings");
  return updated.webPixelUpdate.webPixel!.id;
}

export async function pixelConnectJob(job: ClaimedJob): Promise<void> {
  await connectPixel(job.shop, await shopAdmin(job.shop));
}
