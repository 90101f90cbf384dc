// Writes a set of storefront metafields and keeps what was written (a digest per owner and
// key, the StorefrontMetafield table), so a run writes only what changed and deletes what no
// longer applies. State-based like the offer sync: a failed run loses nothing, the next one
// (the job's retry) catches up, because the digest is kept only after Shopify accepted.
import { createHash } from "node:crypto";
import prisma from "~/db.server";
import { AdminApiError, adminQuery, type AdminGraphqlClient } from "./admin-client.server";
import { METAFIELDS_DELETE_MUTATION, METAFIELDS_SET_MUTATION } from "./metafields.queries";
import { APP_INSTALLATION_QUERY } from "./storefront.queries";

export interface MetafieldWrite {
  ownerId: string;
  namespace: string;
  key: string;
  type: "json" | "list.product_reference";
  value: string;
}
interface UserError { field: string[] | null; message: string }

const BATCH = 25; // metafieldsSet's limit per call
const digest = (m: MetafieldWrite) => createHash("sha256").update(`${m.type}\n${m.value}`).digest("base64url");

export async function appInstallationId(admin: AdminGraphqlClient): Promise<string> {
  return (await adminQuery<{ currentAppInstallation: { id: string } }>(admin, APP_INSTALLATION_QUERY)).currentAppInstallation.id;
}

/**
 * Makes the shop's metafields with these keys (in `namespace` of each owner) exactly `wanted`:
 * writes those whose value differs from what was last written, deletes the ones not wanted.
 */
export async function syncStorefrontMetafields(shop: string, admin: AdminGraphqlClient, scope: { namespace: (key: string) => string; keys: readonly string[] }, wanted: MetafieldWrite[]): Promise<{ written: number; deleted: number }> {
  const id = (ownerId: string, key: string) => `${ownerId}\n${key}`;
  const known = new Map((await prisma.storefrontMetafield.findMany({ where: { shop, key: { in: [...scope.keys] } } })).map((r) => [id(r.ownerId, r.key), r.digest]));
  const writes = wanted.filter((m) => known.get(id(m.ownerId, m.key)) !== digest(m));
  const wantedIds = new Set(wanted.map((m) => id(m.ownerId, m.key)));
  const deletes = [...known.keys()].filter((k) => !wantedIds.has(k)).map((k) => {
    const [ownerId, key] = k.split("\n") as [string, string];
    return { ownerId, key, namespace: scope.namespace(key) };
  });
  for (let i = 0; i < writes.length; i += BATCH) {
    const batch = writes.slice(i, i + BATCH);
    const result = await adminQuery<{ metafieldsSet: { userErrors: UserError[] } }>(admin, METAFIELDS_SET_MUTATION, { metafields: batch });
    assertNoUserErrors(result.metafieldsSet.userErrors);
    await prisma.$transaction(batch.map((m) => prisma.storefrontMetafield.upsert({
      where: { shop_ownerId_key: { shop, ownerId: m.ownerId, key: m.key } },
      create: { shop, ownerId: m.ownerId, key: m.key, digest: digest(m) },
      update: { digest: digest(m), syncedAt: new Date() },
    })));
  }
  for (let i = 0; i < deletes.length; i += BATCH) {
    const batch = deletes.slice(i, i + BATCH);
    const result = await adminQuery<{ metafieldsDelete: { userErrors: UserError[] } }>(admin, METAFIELDS_DELETE_MUTATION, { metafields: batch });
    assertNoUserErrors(result.metafieldsDelete.userErrors);
    await prisma.storefrontMetafield.deleteMany({ where: { OR: batch.map((m) => ({ shop, ownerId: m.ownerId, key: m.key })) } });
  }
  return { written: writes.length, deleted: deletes.length };
}

function assertNoUserErrors(errors: UserError[]): void {
  if (errors.length) throw new AdminApiError(`Shopify refused the metafields: ${errors.map((e) => e.message).join("; ")}`, errors);
}
