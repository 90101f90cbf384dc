import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, FormLayout, Layout, Link, List, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import type { SyncState } from "~/admin/offer-pages.server";
import { KIND_TITLES, kindPath } from "~/admin/offer-kinds";
import type { CatalogProduct } from "~/offers/catalog";
import { STORED_STATUSES, type BundleSpec, type OfferDefinition } from "~/offers/model";
import { attributeErrors, parseOfferDefinition, type OfferErrors } from "~/offers/validation";
import { useFormat, useT } from "~/i18n/i18n";
import { BundleFields } from "./BundleFields";
import { ContentFields } from "./ContentFields";
import { EditorContext, type EditorContextValue } from "./editor-context";
import { FunnelFields } from "./FunnelFields";
import { LadderFields } from "./LadderFields";
import { OfferSummary } from "./OfferSummary";
import { ScheduleField } from "./ScheduleField";
import { Section } from "./Section";
import { SyncBanner } from "./SyncBanner";
import { TargetingFields } from "./TargetingFields";

interface LoaderData {
  id: string | null;
  definition: OfferDefinition;
  products: CatalogProduct[];
  collections: { id: string; title: string }[];
  currencies: string[];
  /** The shop's IANA zone: schedules are set and shown in it, stored as instants. */
  timezone: string;
  sync: SyncState;
}
type SaveResult = { ok: true; id?: string; deleted?: boolean; sync?: SyncState } | { ok: false; errors: OfferErrors };

const SAVE_BAR = "offer-save-bar";


export function OfferEditor() {
  const loaded = useLoaderData<LoaderData>();
  const t = useT();
  const format = useFormat();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const fetcher = useFetcher<SaveResult>();
  const [offer, setOffer] = useState<OfferDefinition>(loaded.definition);
  const [products, setProducts] = useState(() => Object.fromEntries(loaded.products.map((p) => [p.id, p])));
  const [collections, setCollections] = useState(() => Object.fromEntries(loaded.collections.map((c) => [c.id, c.title])));
  const [learned, setLearned] = useState<Record<string, string[]>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The loader runs again after every save, failed ones too: only a different stored offer
  // (another offer, or this one as just saved) replaces what the merchant is editing.
  const stored = useRef(JSON.stringify(loaded.definition));
  useEffect(() => {
    const next = JSON.stringify(loaded.definition);
    if (next !== stored.current) setOffer(loaded.definition);
    stored.current = next;
  }, [loaded.definition]);

  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  // The same schema as the server's, checked before sending; the server's answer wins after.
  const [errors, setErrors] = useState<OfferErrors>({});
  useEffect(() => setErrors(result && !result.ok ? result.errors : {}), [result]);
  const { shown, labels } = useShownErrors(errors);
  const dirty = JSON.stringify(offer) !== JSON.stringify(loaded.definition);
  const saving = fetcher.state !== "idle";
  const base = kindPath(offer.kind);

  useEffect(() => {
    if (!result?.ok) return;
    if (result.deleted) {
      shopify.toast.show(t("offers.editor.deleted"));
      navigate(base);
    } else {
      shopify.toast.show(t("offers.editor.saved"));
      if (!loaded.id && result.id) navigate(`${base}/${result.id}`, { replace: true });
    }
    // Runs once per answer from the server.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);

  const remember = useCallback<EditorContextValue["remember"]>((picked) => {
    if (picked.products) setProducts((known) => ({ ...known, ...Object.fromEntries(picked.products!.map((p) => [p.id, p])) }));
    if (picked.collections) setCollections((known) => ({ ...known, ...Object.fromEntries(picked.collections!.map((c) => [c.id, c.title])) }));
    if (picked.learned) setLearned((known) => ({ ...known, ...picked.learned }));
  }, []);
  const context = useMemo<EditorContextValue>(
    () => ({
      currencies: loaded.currencies,
      error: (path) => (shown[path] ? t(shown[path]!) : undefined),
      hasErrors: (test) => Object.keys(errors).some(test),
      products,
      collections,
      learned,
      remember,
    }),
    [loaded.currencies, shown, errors, products, collections, learned, remember, t],
  );

  const save = () => {
    const checked = parseOfferDefinition(offer);
    if (!checked.ok) return setErrors(checked.errors);
    fetcher.submit({ intent: "save", definition: JSON.stringify(offer) }, { method: "post" });
  };
  const discard = () => setOffer(loaded.definition);
  const set = (patch: Partial<OfferDefinition>) => setOffer((current) => ({ ...current, ...patch }) as OfferDefinition);
  const problems = Object.entries(shown);
  const scheduleSummary = [
    offer.schedule.startsAt !== null && t("offers.sections.from", { when: format.dateTime(offer.schedule.startsAt, loaded.timezone) }),
    offer.schedule.endsAt !== null ? t("offers.sections.until", { when: format.dateTime(offer.schedule.endsAt, loaded.timezone) }) : t("offers.sections.noEnd"),
    t("offers.sections.priority", { priority: Number.isNaN(offer.priority) ? "—" : format.number(offer.priority) }),
  ].filter(Boolean).join(" · ");

  return (
    <EditorContext.Provider value={context}>
      <Page
        title={loaded.id ? offer.name || t("offers.editor.untitled") : t(`offers.index.create.${offer.kind}`)}
        backAction={{ content: t(KIND_TITLES[offer.kind]), url: base }}
        primaryAction={{ content: t("offers.editor.save"), onAction: save, loading: saving, disabled: !dirty && !!loaded.id }}
        secondaryActions={loaded.id ? [{ content: t("offers.index.delete"), destructive: true, onAction: () => setConfirmDelete(true) }] : []}
      >
        <SaveBar id={SAVE_BAR} open={dirty}>
          <button variant="primary" onClick={save} disabled={saving}>{t("offers.editor.save")}</button>
          <button onClick={discard}>{t("settings.discard")}</button>
        </SaveBar>
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {problems.length > 0 && (
                <Banner tone="critical" title={t("offers.editor.errorsTitle", { count: problems.length })}>
                  <Text as="p">{t("offers.editor.errorsBody")}</Text>
                  <List>
                    {problems.map(([path, key]) => (
                      <List.Item key={path}>
                        {path ? <Link onClick={() => focusField(path)}>{`${labels[path]}: ${t(key)}`}</Link> : t(key)}
                      </List.Item>
                    ))}
                  </List>
                </Banner>
              )}
              <SyncBanner sync={(result?.ok && result.sync) || loaded.sync} onRetry={save} retrying={saving} />
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField label={t("offers.editor.name")} id="name" autoComplete="off" value={offer.name} onChange={(name) => set({ name })} error={context.error("name")} helpText={t("offers.editor.nameHelp")} maxLength={120} />
                    <Select label={t("offers.editor.status")} options={STORED_STATUSES.map((s) => ({ label: t(`offers.status.${s}`), value: s }))} value={offer.status} onChange={(status) => set({ status: status as OfferDefinition["status"] })} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
              {offer.kind === "bundle" && <BundleFields bundle={offer.bundle} onChange={(bundle) => set(withGiftPlacement(offer, bundle))} />}
              {offer.kind === "upgrade" && <LadderFields rungs={offer.rungs} learned={offer.learned} incentive={offer.incentive} onChange={(patch) => set(patch)} />}
              {offer.kind === "funnel" && <FunnelFields root={offer.root} onChange={(root) => set({ root })} />}
              <ContentFields content={offer.content} onChange={(content) => set({ content })} />
              <TargetingFields kind={offer.kind} targeting={offer.targeting} onChange={(targeting) => set({ targeting })} />
              <Section id="schedule-section" title={t("offers.sections.schedule")} summary={scheduleSummary} hasErrors={context.hasErrors((path) => path === "priority" || path.startsWith("schedule"))}>
                <FormLayout>
                  <ScheduleField id="schedule.startsAt" label={t("offers.editor.startsAt")} timeLabel={t("offers.editor.startTime")} timeZone={loaded.timezone} defaultTime={{ hour: 0, minute: 0 }} value={offer.schedule.startsAt} onChange={(startsAt) => set({ schedule: { ...offer.schedule, startsAt } })} error={context.error("schedule.startsAt")} />
                  <ScheduleField id="schedule.endsAt" label={t("offers.editor.endsAt")} timeLabel={t("offers.editor.endTime")} timeZone={loaded.timezone} defaultTime={{ hour: 23, minute: 59 }} value={offer.schedule.endsAt} onChange={(endsAt) => set({ schedule: { ...offer.schedule, endsAt } })} error={context.error("schedule.endsAt")} helpText={t("offers.editor.scheduleHelp")} />
                  <TextField label={t("offers.editor.priority")} id="priority" type="number" min={0} max={100} autoComplete="off" value={Number.isNaN(offer.priority) ? "" : String(offer.priority)} onChange={(p) => set({ priority: /^\d+$/.test(p) ? Number(p) : Number.NaN })} error={context.error("priority")} helpText={t("offers.editor.priorityHelp")} />
                </FormLayout>
              </Section>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <OfferSummary offer={offer} />
          </Layout.Section>
        </Layout>
        <Modal
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          title={t("offers.index.deleteTitle")}
          primaryAction={{ content: t("offers.index.delete"), destructive: true, loading: saving, onAction: () => { setConfirmDelete(false); fetcher.submit({ intent: "delete" }, { method: "post" }); } }}
          secondaryActions={[{ content: t("offers.cancel"), onAction: () => setConfirmDelete(false) }]}
        >
          <Modal.Section>
            <Text as="p">{t("offers.index.deleteConfirm", { count: 1 })}</Text>
          </Modal.Section>
        </Modal>
      </Page>
    </EditorContext.Provider>
  );
}

/** A gift is earned in the cart: choosing one shows the offer there too (the merchant may still take it off). */
function withGiftPlacement(offer: Extract<OfferDefinition, { kind: "bundle" }>, bundle: BundleSpec): Partial<OfferDefinition> {
  const placements = offer.targeting.placements;
  if (bundle.type !== "gift" || offer.bundle.type === "gift" || placements.includes("cart")) return { bundle };
  return { bundle, targeting: { ...offer.targeting, placements: [...placements, "cart"] } };
}

/**
 * The errors as the page shows them: each on the field that is on the page for it (fields
 * carry their error path as their id), so the banner lists exactly what the fields show.
 */
function useShownErrors(errors: OfferErrors): { shown: OfferErrors; labels: Record<string, string> } {
  const [state, setState] = useState<{ shown: OfferErrors; labels: Record<string, string> }>({ shown: {}, labels: {} });
  // After render, once the fields for the current offer are on the page.
  useEffect(() => {
    const shown = attributeErrors(errors, (path) => document.getElementById(path) !== null);
    setState({ shown, labels: Object.fromEntries(Object.keys(shown).map((path) => [path, fieldLabel(path)])) });
  }, [errors]);
  return state;
}

/** A field's visible label (its <label>, or the name a group of fields carries). */
function fieldLabel(path: string): string {
  const field = document.getElementById(path);
  const label = document.querySelector(`label[for="${CSS.escape(path)}"]`)?.textContent ?? field?.getAttribute("data-label");
  return label?.trim() || path;
}

function focusField(path: string) {
  const field = document.getElementById(path);
  field?.scrollIntoView({ block: "center" });
  field?.focus();
}
