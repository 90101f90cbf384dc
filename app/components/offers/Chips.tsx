import { BlockStack, InlineStack, Tag } from "@shopify/polaris";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { useEditor } from "./editor-context";
import { FieldError } from "./fields";

/** Products or collections picked as chips (mix-and-match pools). */
export function Chips({ ids, labels, onChange, type, label, path }: { ids: string[]; labels: Record<string, string>; onChange: (ids: string[]) => void; type: "products" | "collections"; label: string; path: string }) {
  const t = useT();
  const { error } = useEditor();
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" wrap>
        {ids.map((id) => (
          <Tag key={id} onRemove={() => onChange(ids.filter((x) => x !== id))} accessibilityLabel={t("offers.items.removeNamed", { name: labels[id] ?? id })}>{labels[id] ?? id}</Tag>
        ))}
      </InlineStack>
      {type === "products" ? (
        <CatalogPicker type="products" action="add" label={label} exclude={ids} onPick={(p) => onChange([...ids, p.id])} />
      ) : (
        <CatalogPicker type="collections" label={label} exclude={ids} onPick={(c) => onChange([...ids, c.id])} />
      )}
      <FieldError message={error(path)} id={path} label={label} />
    </BlockStack>
  );
}

