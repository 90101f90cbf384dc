import prisma from "~/db.server";

/**
 * Records a webhook delivery; false when this webhook id was already handled. Shopify
 * repeats deliveries (retries, duplicates), so handlers do their work only on the first.
 */
export async function firstDelivery(webhookId: string, shop: string, topic: string): Promise<boolean> {
  const { count } = await prisma.webhookReceipt.createMany({ data: [{ webhookId, shop, topic }] }).catch((error: unknown) => {
    if (isUniqueViolation(error)) return { count: 0 };
    throw error;
  });
  return count === 1;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { code?: string; message?: string })?.code ?? "") + String((error as Error)?.message ?? "");
  return text.includes("P2002") || /UNIQUE constraint/i.test(text);
}

/** The webhook id from the library's webhook context. */
export function webhookIdOf(context: { webhookId?: string }, request: Request): string {
  return context.webhookId ?? request.headers.get("X-Shopify-Webhook-Id") ?? "";
}
