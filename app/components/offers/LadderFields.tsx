import { BlockStack, Button, ButtonGroup, Card, Checkbox, InlineStack, Text, TextField } from "@shopify/polaris";
import type { ItemDiscount, Rung } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { useEditor } from "./editor-context";
import { DiscountFields, FieldError } from "./fields";
import { VariantSelect } from "./ItemList";
import { CardHeading } from "../CardHeading";

const MAX_RUNGS = 6;

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** Rungs from the cheapest up; each says what it adds over the one below. */
export function LadderFields({ rungs, learned, incentive, onChange }: { rungs: Rung[]; learned: boolean; incentive: ItemDiscount; onChange: (patch: { rungs?: Rung[]; learned?: boolean; incentive?: ItemDiscount }) => void }) {
  const t = useT();
  const { products, error } = useEditor();
  const set = (next: Rung[]) => onChange({ rungs: next });
  const update = (i: number, patch: Partial<Rung>) => set(rungs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const label = (r: Rung) => {
    const product = products[r.productId];
    const variant = product?.variants.find((v) => v.id === r.variantId);
    return [product?.title ?? r.productId, variant && product!.variants.length > 1 ? variant.title : null].filter(Boolean).join(" — ");
  };
  return (
    <Card>
      <BlockStack gap="400">
        <CardHeading title={t("offers.ladder.heading")} help={t("offers.ladder.help")} />
        <ol style={{ margin: 0, paddingLeft: 20 }} aria-label={t("offers.ladder.rungs")}>
          {rungs.map((rung, i) => (
            <li key={`${rung.productId}-${rung.variantId}-${i}`} style={{ marginBottom: 16 }}>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h3" variant="headingSm">{label(rung)}</Text>
                  <ButtonGroup variant="segmented">
                    <Button disabled={i === 0} onClick={() => set(move(rungs, i, i - 1))} accessibilityLabel={t("offers.ladder.moveUpNamed", { name: label(rung) })}>{t("offers.ladder.moveUp")}</Button>
                    <Button disabled={i === rungs.length - 1} onClick={() => set(move(rungs, i, i + 1))} accessibilityLabel={t("offers.ladder.moveDownNamed", { name: label(rung) })}>{t("offers.ladder.moveDown")}</Button>
                    <Button tone="critical" onClick={() => set(rungs.filter((_, j) => j !== i))} accessibilityLabel={t("offers.items.removeNamed", { name: label(rung) })}>{t("offers.items.remove")}</Button>
                  </ButtonGroup>
                </InlineStack>
                <VariantSelect label={t("offers.items.variant")} productId={rung.productId} variantId={rung.variantId} onChange={(variantId) => update(i, { variantId })} />
                {i > 0 && <TextField label={t("offers.ladder.gain")} id={`rungs.${i}.gain`} autoComplete="off" value={rung.gain} onChange={(gain) => update(i, { gain })} placeholder={t("offers.ladder.gainPlaceholder")} error={error(`rungs.${i}.gain`)} maxLength={200} />}
              </BlockStack>
            </li>
          ))}
        </ol>
        {rungs.length < MAX_RUNGS && (
          <CatalogPicker
            type="products"
            action="add"
            label={t("offers.ladder.add")}
            onPick={(product) => {
              // A product with several variants becomes a ladder of them, cheapest first.
              const variants = [...product.variants].sort((a, b) => (Object.values(a.prices)[0] ?? 0) - (Object.values(b.prices)[0] ?? 0));
              const added = (variants.length > 1 ? variants.map((v) => v.id) : [null]).map((variantId) => ({ productId: product.id, variantId, gain: "" }));
              const fresh = added.filter((r) => !rungs.some((x) => x.productId === r.productId && x.variantId === r.variantId));
              set([...rungs, ...fresh].slice(0, MAX_RUNGS));
            }}
          />
        )}
        <FieldError message={error("rungs")} id="rungs" label={t("offers.ladder.heading")} />
        <Checkbox label={t("offers.ladder.learned")} helpText={t("offers.ladder.learnedHelp")} checked={learned} onChange={(next) => onChange({ learned: next })} />
        <Text as="h3" variant="headingSm">{t("offers.ladder.incentive")}</Text>
        <DiscountFields value={incentive} path="incentive" onChange={(next) => onChange({ incentive: next })} />
      </BlockStack>
    </Card>
  );
}
