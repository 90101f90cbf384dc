// Which mirrored products the shop sells: active, and not one of the bundle parent products the
// app makes for the Cart Transform (app/offers/functions.server.ts). A parent stands for a
// bundle at checkout; offered, searched for or learned from as a product of its own, it would be
// the bundle offered inside itself.
export const BUNDLE_PARENT_TAG = "uplift-bundle";

/** Prisma's filter for them (tags are kept as a JSON array of strings). */
export const SOLD = { status: "ACTIVE", NOT: { tags: { contains: JSON.stringify(BUNDLE_PARENT_TAG) } } } as const;
