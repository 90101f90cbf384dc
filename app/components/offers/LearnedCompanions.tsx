// The learned half of a frequently-bought-together bundle, as it stands today: what the
// shop's orders say the main product is bought with, and the evidence for each.
import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, List, SkeletonBodyText, Text } from "@shopify/polaris";
import type { CompanionEvidence } from "~/recommend/learned.server";
import type { CatalogProduct } from "~/offers/catalog";
import { useFormat, useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";

interface Answer {
  productId: string;
  companions: (CompanionEvidence & { product: CatalogProduct })[];
}

export function LearnedCompanions({ anchorProductId, count, pinned }: { anchorProductId: string; count: number; pinned: string[] }) {
  const t = useT();
  const format = useFormat();
  const { remember } = useEditor();
  const fetcher = useFetcher<Answer>();

  useEffect(() => {
    if (anchorProductId) fetcher.load(`/app/learned-companions?product=${encodeURIComponent(anchorProductId)}`);
    // fetcher.load is stable in use; the anchor is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [anchorProductId]);

  const answer = fetcher.data?.productId === anchorProductId ? fetcher.data : undefined;
  useEffect(() => {
    if (answer) remember({ products: answer.companions.map((c) => c.product), learned: { [answer.productId]: answer.companions.map((c) => c.productId) } });
  }, [answer, remember]);

  if (!anchorProductId) return <Text as="p" tone="subdued">{t("offers.learned.pickAnchor")}</Text>;
  if (!answer) return <SkeletonBodyText lines={2} />;
  const shown = answer.companions.filter((c) => !pinned.includes(c.productId)).slice(0, count);
  if (!shown.length) return <Text as="p" tone="subdued">{t("offers.learned.none")}</Text>;
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">{t("offers.learned.today")}</Text>
      <List>
        {shown.map((c) => (
          <List.Item key={c.productId}>
            <strong>{c.product.title}</strong>: {t("offers.learned.evidence", { orders: format.number(c.ordersTogether), times: format.multiplier(c.timesChance) })}
          </List.Item>
        ))}
      </List>
    </BlockStack>
  );
}
