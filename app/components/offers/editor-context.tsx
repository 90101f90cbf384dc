// What every part of the offer editor needs: the field errors from the last save, the shop's
// currencies, and the catalog entries picked so far (for labels and the price summary).
import { createContext, useContext } from "react";
import type { CatalogProduct } from "~/offers/catalog";

export interface EditorContextValue {
  currencies: string[];
  /** The translated error at a field path ("bundle.items.0.quantity"), if any. */
  error: (path: string) => string | undefined;
  /** Whether the last check found a problem at a path this test accepts (opens its section). */
  hasErrors: (test: (path: string) => boolean) => boolean;
  products: Record<string, CatalogProduct>;
  collections: Record<string, string>;
  /** Learned companions by anchor product, as previewed (for the price summary). */
  learned: Record<string, string[]>;
  remember: (picked: { products?: CatalogProduct[]; collections?: { id: string; title: string }[]; learned?: Record<string, string[]> }) => void;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error("useEditor outside the offer editor");
  return value;
}
