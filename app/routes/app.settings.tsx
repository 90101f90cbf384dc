import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, ChoiceList, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { loadSettings, saveSettings, shopCurrencies } from "~/settings/settings.server";
import { parseSettingsForm, settingsFormValues, type FieldErrors } from "~/settings/settings";
import { LOCALES } from "~/i18n/locales";
import { useT } from "~/i18n/i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const currencies = await shopCurrencies(session.shop);
  return Response.json({ currencies, values: settingsFormValues(await loadSettings(session.shop), currencies) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = parseSettingsForm(await request.formData(), await shopCurrencies(session.shop));
  if (!parsed.ok) return Response.json({ ok: false, errors: parsed.errors }, { status: 400 });
  await saveSettings(session.shop, parsed.settings);
  return Response.json({ ok: true, errors: {} });
};

type Values = ReturnType<typeof settingsFormValues>;
const SAVE_BAR = "settings-save-bar";

export default function Settings() {
  const { currencies, values: saved } = useLoaderData<{ currencies: string[]; values: Values }>();
  const result = useActionData<{ ok: boolean; errors: FieldErrors }>();
  const t = useT();
  const shopify = useAppBridge();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [values, setValues] = useState<Values>(saved);
  useEffect(() => setValues(saved), [saved]);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const errors = result?.ok === false ? result.errors : {};
  const saving = navigation.state === "submitting";

  useEffect(() => {
    if (result?.ok) shopify.toast.show(t("settings.saved"));
  }, [result, shopify, t]);

  const save = () => {
    const form = new FormData();
    for (const [currency, amount] of Object.entries(values.thresholds)) form.set(`threshold_${currency}`, amount);
    form.set("holdout", values.holdout);
    for (const language of values.languages) form.append("languages", language);
    form.set("perPage", values.perPage);
    form.set("perDay", values.perDay);
    submit(form, { method: "post" });
  };
  const error = (field: string) => (errors[field] ? t(errors[field]!) : undefined);

  return (
    <Page title={t("settings.title")} primaryAction={{ content: t("settings.save"), onAction: save, loading: saving, disabled: !dirty }}>
      <SaveBar id={SAVE_BAR} open={dirty}>
        <button variant="primary" onClick={save} disabled={saving}>{t("settings.save")}</button>
        <button onClick={() => setValues(saved)}>{t("settings.discard")}</button>
      </SaveBar>
      <Form method="post" onSubmit={(event) => { event.preventDefault(); save(); }}>
        <Layout>
          <Layout.AnnotatedSection title={t("settings.shippingHeading")} description={t("settings.shippingHelp")}>
            <Card>
              <FormLayout>
                {currencies.map((currency) => (
                  <TextField
                    key={currency}
                    label={t("settings.threshold", { currency })}
                    name={`threshold_${currency}`}
                    inputMode="decimal"
                    autoComplete="off"
                    value={values.thresholds[currency] ?? ""}
                    onChange={(value) => setValues({ ...values, thresholds: { ...values.thresholds, [currency]: value } })}
                    error={error(`threshold_${currency}`)}
                  />
                ))}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.holdoutHeading")} description={t("settings.holdoutHelp")}>
            <Card>
              <TextField
                label={t("settings.holdoutShare")}
                name="holdout"
                type="number"
                min={0}
                max={50}
                autoComplete="off"
                value={values.holdout}
                onChange={(holdout) => setValues({ ...values, holdout })}
                error={error("holdout")}
              />
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.pacingHeading")} description={t("settings.pacingHelp")}>
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <TextField label={t("settings.perPage")} name="perPage" type="number" min={1} max={5} autoComplete="off" value={values.perPage} onChange={(perPage) => setValues({ ...values, perPage })} error={error("perPage")} />
                  <TextField label={t("settings.perDay")} name="perDay" type="number" min={1} max={50} autoComplete="off" value={values.perDay} onChange={(perDay) => setValues({ ...values, perDay })} error={error("perDay")} />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.languagesHeading")} description={t("settings.languagesHelp")}>
            <Card>
              <ChoiceList
                title={t("settings.languagesHeading")}
                titleHidden
                allowMultiple
                choices={LOCALES.map((code) => ({ label: t(`languages.${code}`), value: code }))}
                selected={values.languages}
                onChange={(languages) => setValues({ ...values, languages: languages as Values["languages"] })}
                error={error("languages")}
              />
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack inlineAlign="end">
              <Button variant="primary" submit loading={saving} disabled={!dirty}>{t("settings.save")}</Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
      <Text as="p" visuallyHidden>{dirty ? t("settings.unsaved") : ""}</Text>
    </Page>
  );
}
