// A list of picked products, each with its variant and quantity: bundle items and
// companions. Reordering is by buttons, so it works from the keyboard and screen readers.
import { BlockStack, Button, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ItemRef } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { useEditor } from "./editor-context";
import { FieldError } from "./fields";

export function VariantSelect({ productId, variantId, onChange, label, allowAny = true }: { productId: string; variantId: string | null; onChange: (id: string | null) => void; label: string; allowAny?: boolean }) {
  const t = useT();
  const { products } = useEditor();
  const variants = products[productId]?.variants ?? [];
  // A product without options has one variant, which Shopify titles "Default Title": no choice.
  if (variants.length <= 1) return null;
  const options = [...(allowAny ? [{ label: t("offers.items.anyVariant"), value: "" }] : []), ...variants.map((v) => ({ label: `${v.title}${v.available ? "" : ` (${t("offers.items.soldOut")})`}`, value: v.id }))];
  return <Select label={label} options={options} value={variantId ?? ""} onChange={(id) => onChange(id || null)} />;
}

export function ItemList({ items, onChange, path, pickLabel, max }: { items: ItemRef[]; onChange: (items: ItemRef[]) => void; path: string; pickLabel: string; max: number }) {
  const t = useT();
  const { products, error } = useEditor();
  const update = (i: number, patch: Partial<ItemRef>) => onChange(items.map((item, j) => (j === i ? { ...item, ...patch } : item)));
  return (
    <BlockStack gap="300">
      {items.map((item, i) => {
        const title = products[item.productId]?.title ?? item.productId;
        return (
          <BlockStack key={`${item.productId}-${i}`} gap="100">
            <InlineStack gap="300" blockAlign="end" wrap={false}>
              <div style={{ flex: 2 }}>
                <Text as="p" fontWeight="semibold">{title}</Text>
              </div>
              <div style={{ flex: 2 }}>
                <VariantSelect label={t("offers.items.variant")} productId={item.productId} variantId={item.variantId} onChange={(variantId) => update(i, { variantId })} />
              </div>
              <div style={{ width: 90 }}>
                <TextField
                  label={t("offers.items.quantity")}
                  id={`${path}.${i}.quantity`}
                  type="number"
                  min={1}
                  max={99}
                  autoComplete="off"
                  value={Number.isNaN(item.quantity) ? "" : String(item.quantity)}
                  onChange={(q) => update(i, { quantity: /^\d+$/.test(q) ? Number(q) : Number.NaN })}
                  error={error(`${path}.${i}.quantity`)}
                />
              </div>
              <Button variant="tertiary" tone="critical" onClick={() => onChange(items.filter((_, j) => j !== i))} accessibilityLabel={t("offers.items.removeNamed", { name: title })}>
                {t("offers.items.remove")}
              </Button>
            </InlineStack>
            <FieldError message={error(`${path}.${i}`)} id={`${path}.${i}`} label={title} />
          </BlockStack>
        );
      })}
      {items.length < max && (
        <CatalogPicker type="products" label={pickLabel} action="add" variants exclude={items.map((i) => i.productId)} onPick={(p, variantId) => onChange([...items, { productId: p.id, variantId: variantId ?? null, quantity: 1 }])} />
      )}
      <FieldError message={error(path)} id={path} label={pickLabel} />
    </BlockStack>
  );
}
