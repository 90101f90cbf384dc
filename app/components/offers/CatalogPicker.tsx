// Search-as-you-type over the synced catalog (products or collections), for the editor; for
// products also "Browse", Shopify's own resource picker (App Bridge's `shopify.resourcePicker`)
// with images, prices, stock and variants. Both stay: typing a few letters is the fastest way
// for someone who knows the product, browsing for someone who does not.
import { useEffect, useMemo, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Autocomplete, Button } from "@shopify/polaris";
import type { CatalogSearchResult } from "~/catalog/search.server";
import type { CatalogProduct } from "~/offers/catalog";
import { useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";

type Props =
  | {
      type: "products"; id?: string; label: string; exclude?: string[]; error?: string;
      /** With `variants`, a single variant chosen in the resource picker comes as `variantId`. */
      onPick: (product: CatalogProduct, variantId?: string | null) => void;
      variants?: boolean;
      /** "add" to a list, or "select" the one product of a slot (the picker's title says which). */
      action?: "add" | "select";
      /** The slot's current product, preselected in the resource picker. */
      selected?: string | null;
    }
  | { type: "collections"; id?: string; label: string; onPick: (collection: { id: string; title: string }) => void; exclude?: string[]; error?: string };

export function CatalogPicker(props: Props) {
  const t = useT();
  const { remember } = useEditor();
  const fetcher = useFetcher<CatalogSearchResult>();
  const shopify = useAppBridge();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => fetcher.load(`/app/catalog?type=${props.type}&q=${encodeURIComponent(text)}`), 200);
    return () => clearTimeout(timer);
    // fetcher.load is stable in use; re-running on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, open, props.type]);

  const options = useMemo(() => {
    const data = fetcher.data;
    const exclude = new Set(props.exclude ?? []);
    if (!data) return [];
    const entries = data.type === "products" ? data.products.map((p) => ({ value: p.id, label: p.title })) : data.collections.map((c) => ({ value: c.id, label: c.title }));
    return entries.filter((e) => !exclude.has(e.value));
  }, [fetcher.data, props.exclude]);

  const pick = (selected: string[]) => {
    const id = selected[0];
    const data = fetcher.data;
    if (!id || !data) return;
    if (data.type === "products" && props.type === "products") {
      const product = data.products.find((p) => p.id === id);
      if (product) {
        remember({ products: [product] });
        props.onPick(product);
      }
    } else if (data.type === "collections" && props.type === "collections") {
      const collection = data.collections.find((c) => c.id === id);
      if (collection) {
        remember({ collections: [collection] });
        props.onPick(collection);
      }
    }
    setText("");
  };

  const browse = async () => {
    if (props.type !== "products") return;
    const picked = await shopify.resourcePicker({
      type: "product",
      action: props.action ?? "select",
      multiple: false,
      filter: { variants: props.variants ?? false, draft: false, archived: false },
      selectionIds: props.selected ? [{ id: props.selected }] : [],
    });
    const chosen = picked?.[0];
    if (!chosen) return;
    // Prices per currency and stock come from the app's own mirror, as for a searched product.
    const found = (await (await fetch(`/app/catalog?id=${encodeURIComponent(chosen.id)}`)).json()) as CatalogSearchResult;
    const product = found.type === "products" ? found.products[0] : undefined;
    if (!product || props.exclude?.includes(product.id)) return;
    const oneVariant = props.variants && chosen.variants.length === 1 && product.variants.length > 1 ? (chosen.variants[0]?.id ?? null) : null;
    remember({ products: [product] });
    props.onPick(product, oneVariant);
  };

  return (
    <Autocomplete
      options={options}
      selected={[]}
      onSelect={pick}
      loading={fetcher.state === "loading"}
      emptyState={fetcher.data && !options.length ? t("offers.picker.nothing") : undefined}
      textField={
        <Autocomplete.TextField
          id={props.id}
          label={props.label}
          value={text}
          onChange={setText}
          onFocus={() => setOpen(true)}
          placeholder={t(props.type === "products" ? "offers.picker.searchProducts" : "offers.picker.searchCollections")}
          autoComplete="off"
          error={props.error}
          connectedRight={props.type === "products" ? <Button onClick={() => void browse()} accessibilityLabel={t("offers.picker.browseLabel", { field: props.label })}>{t("offers.picker.browse")}</Button> : undefined}
        />
      }
    />
  );
}
