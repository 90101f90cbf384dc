// The deal-of-the-day page: schedule a product at a price for a day, and the days to come.
import { useEffect, useState } from "react";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, EmptyState, FormLayout, IndexTable, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import type { CatalogProduct } from "~/offers/catalog";
import type { DealErrors } from "~/deals/schedule";
import { CatalogPicker } from "~/components/offers/CatalogPicker";
import { EditorContext, type EditorContextValue } from "~/components/offers/editor-context";
import { useFormat, useT } from "~/i18n/i18n";

interface Loaded {
  timeZone: string;
  currency: string;
  today: string;
  deals: { day: string; price: number; product: string | null; regular: number | null }[];
}

/** The picker belongs to the offer editor; here it only needs somewhere to remember picks. */
const PICKER_CONTEXT: EditorContextValue = {
  currencies: [], error: () => undefined, hasErrors: () => false, products: {}, collections: {}, learned: {}, remember: () => undefined,
};

export function DealsPage() {
  const { timeZone, currency, today, deals } = useLoaderData<Loaded>();
  const result = useActionData<{ ok: boolean; errors: DealErrors }>();
  const t = useT();
  const format = useFormat();
  const shopify = useAppBridge();
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const [day, setDay] = useState(today);
  const [product, setProduct] = useState<CatalogProduct | null>(null);
  const [variantId, setVariantId] = useState("");
  const [price, setPrice] = useState("");
  const errors = result?.ok === false ? result.errors : {};
  const error = (field: keyof DealErrors) => (errors[field] ? t(errors[field]!) : undefined);

  useEffect(() => {
    if (!result?.ok) return;
    shopify.toast.show(t("deals.saved"));
    setProduct(null);
    setPrice("");
  }, [result, shopify, t]);

  const pick = (picked: CatalogProduct) => {
    setProduct(picked);
    setVariantId((picked.variants.find((v) => v.available) ?? picked.variants[0])?.id ?? "");
  };
  const schedule = () => submit({ intent: "save", day, variantId, price }, { method: "post" });
  const remove = (removed: string) => submit({ intent: "delete", day: removed }, { method: "post" });
  const variant = product?.variants.find((v) => v.id === variantId);

  return (
    <Page title={t("deals.title")} subtitle={t("deals.subtitle", { timeZone })}>
      <Layout>
        <Layout.AnnotatedSection title={t("deals.scheduleHeading")} description={t("deals.scheduleHelp")}>
          <Card>
            <Form method="post" onSubmit={(event) => { event.preventDefault(); schedule(); }}>
              <FormLayout>
                <TextField label={t("deals.day")} type="date" name="day" min={today} autoComplete="off" value={day} onChange={setDay} error={error("day")} />
                <EditorContext.Provider value={PICKER_CONTEXT}>
                  <CatalogPicker type="products" label={t("deals.product")} onPick={pick} error={product ? undefined : error("product")} />
                </EditorContext.Provider>
                {product && (
                  <BlockStack gap="200">
                    <Text as="p" fontWeight="semibold">{product.title}</Text>
                    {product.variants.length > 1 && (
                      <Select label={t("deals.variant")} value={variantId} onChange={setVariantId}
                        options={product.variants.map((v) => ({ label: v.title, value: v.id, disabled: !v.available }))} error={error("product")} />
                    )}
                    {variant?.prices[currency] !== undefined && <Text as="p" tone="subdued">{t("deals.regular", { price: format.money(variant.prices[currency]!, currency) })}</Text>}
                  </BlockStack>
                )}
                <TextField label={t("deals.price", { currency })} name="price" inputMode="decimal" autoComplete="off" value={price} onChange={setPrice} error={error("price")} />
                <Button submit variant="primary" loading={saving}>{t("deals.schedule")}</Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <Card padding="0">
            {deals.length ? (
              <IndexTable
                resourceName={{ singular: t("deals.resource.singular"), plural: t("deals.resource.plural") }}
                itemCount={deals.length}
                selectable={false}
                headings={[{ title: t("deals.day") }, { title: t("deals.product") }, { title: t("deals.dealPrice") }, { title: t("deals.actions") }]}
              >
                {deals.map((deal, index) => (
                  <IndexTable.Row id={deal.day} key={deal.day} position={index}>
                    <IndexTable.Cell>{format.date(`${deal.day}T12:00:00Z`)}{deal.day === today ? ` · ${t("deals.today")}` : ""}</IndexTable.Cell>
                    <IndexTable.Cell>{deal.product ?? t("deals.gone")}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {format.money(deal.price, currency)}
                      {deal.regular !== null && ` (${t("deals.regular", { price: format.money(deal.regular, currency) })})`}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button variant="plain" tone="critical" onClick={() => remove(deal.day)} accessibilityLabel={t("deals.removeDay", { day: deal.day })}>{t("deals.remove")}</Button>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            ) : (
              <EmptyState heading={t("deals.emptyHeading")} image="">
                <p>{t("deals.emptyBody")}</p>
              </EmptyState>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
