// Gift with purchase: the product given free (its variant and how many), the order amount
// that earns it in each of the shop's currencies, and the products that earn it whatever
// the amount. Amounts are kept as the merchant typed them until the server names a problem.
import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import type { BundleSpec, PerCurrency } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { Chips } from "./Chips";
import { useEditor } from "./editor-context";
import { FieldError, MoneyInput } from "./fields";
import { VariantSelect } from "./ItemList";

type Gift = Extract<BundleSpec, { type: "gift" }>;

export function GiftFields({ bundle, onChange }: { bundle: Gift; onChange: (bundle: BundleSpec) => void }) {
  const t = useT();
  const { currencies, products, error } = useEditor();
  const productTitles = Object.fromEntries(Object.values(products).map((p) => [p.id, p.title]));
  const gift = bundle.gift;
  const setAmount = (currency: string, minor: number | undefined) => {
    const next: PerCurrency = { ...bundle.minSubtotal };
    if (minor === undefined) delete next[currency];
    else next[currency] = minor;
    onChange({ ...bundle, minSubtotal: Object.keys(next).length ? next : null });
  };
  return (
    <BlockStack gap="400">
      {gift.productId ? (
        <InlineStack gap="300" blockAlign="end" wrap>
          <Text as="p">{t("offers.bundle.gift")}: <strong>{productTitles[gift.productId] ?? gift.productId}</strong></Text>
          <VariantSelect label={t("offers.items.variant")} productId={gift.productId} variantId={gift.variantId} onChange={(variantId) => onChange({ ...bundle, gift: { ...gift, variantId } })} />
          <div style={{ width: 90 }}>
            <TextField
              label={t("offers.items.quantity")}
              id="bundle.gift.quantity"
              type="number"
              min={1}
              max={99}
              autoComplete="off"
              value={Number.isNaN(gift.quantity) ? "" : String(gift.quantity)}
              onChange={(q) => onChange({ ...bundle, gift: { ...gift, quantity: /^\d+$/.test(q) ? Number(q) : Number.NaN } })}
              error={error("bundle.gift.quantity")}
            />
          </div>
          <Button variant="plain" onClick={() => onChange({ ...bundle, gift: { ...gift, productId: "", variantId: null } })}>{t("offers.bundle.changeAnchor")}</Button>
        </InlineStack>
      ) : (
        <CatalogPicker
          type="products"
          id="bundle.gift.productId"
          label={t("offers.bundle.gift")}
          variants
          exclude={bundle.triggerProductIds}
          onPick={(p, variantId) => onChange({ ...bundle, gift: { productId: p.id, variantId: variantId ?? null, quantity: gift.quantity } })}
          error={error("bundle.gift.productId")}
        />
      )}
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">{t("offers.bundle.giftThreshold")}</Text>
        <InlineStack gap="200" wrap>
          {currencies.map((currency) => (
            <MoneyInput
              key={currency}
              id={`bundle.minSubtotal.${currency}`}
              label={t("offers.bundle.giftThresholdIn", { currency })}
              currency={currency}
              value={bundle.minSubtotal?.[currency]}
              onChange={(minor) => setAmount(currency, minor)}
              error={error(`bundle.minSubtotal.${currency}`)}
            />
          ))}
        </InlineStack>
        <Text as="p" tone="subdued">{t("offers.bundle.giftThresholdHelp")}</Text>
        <FieldError message={error("bundle.minSubtotal")} id="bundle.minSubtotal" label={t("offers.bundle.giftThreshold")} />
      </BlockStack>
      <BlockStack gap="100">
        <Chips type="products" ids={bundle.triggerProductIds} labels={productTitles} onChange={(triggerProductIds) => onChange({ ...bundle, triggerProductIds })} label={t("offers.bundle.giftTriggers")} path="bundle.triggerProductIds" />
        <Text as="p" tone="subdued">{t("offers.bundle.giftTriggersHelp")}</Text>
      </BlockStack>
    </BlockStack>
  );
}
