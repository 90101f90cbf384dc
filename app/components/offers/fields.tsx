// Small inputs the offer editor is made of. Money and percentages are typed as text and
// kept as integers (minor units, basis points); text that is not a number becomes NaN,
// which the server's validation names as the field's error.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { BlockStack, InlineError, InlineStack, Select, TextField } from "@shopify/polaris";
import { fromMinorUnits, parseMoneyText } from "~/catalog/money";
import type { Discount, ItemDiscount } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";

/** The field's text, rewritten only when the value changes from outside (discard, reorder). */
function useTextOf<T>(value: T, format: (v: T) => string): [string, (text: string, parsed: T) => void] {
  const [text, setText] = useState(() => format(value));
  const emitted = useRef(value);
  useEffect(() => {
    if (!Object.is(emitted.current, value) && JSON.stringify(emitted.current) !== JSON.stringify(value)) setText(format(value));
    emitted.current = value;
    // format is a fresh closure on every render; the value is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return [text, (next, parsed) => { emitted.current = parsed; setText(next); }];
}

export function MoneyInput({ id, label, currency, value, onChange, error }: { id: string; label: string; currency: string; value: number | undefined; onChange: (minor: number | undefined) => void; error?: string }) {
  const [text, setText] = useTextOf(value, (v) => (v === undefined || Number.isNaN(v) ? "" : fromMinorUnits(v, currency)));
  return (
    <TextField
      id={id}
      label={label}
      suffix={currency}
      inputMode="decimal"
      autoComplete="off"
      value={text}
      error={error}
      onChange={(next) => {
        const minor = !next.trim() ? undefined : (parseMoneyText(next, currency) ?? Number.NaN);
        setText(next, minor);
        onChange(minor);
      }}
    />
  );
}

export function PercentInput({ id, label, basisPoints, onChange, error }: { id: string; label: string; basisPoints: number; onChange: (bp: number) => void; error?: string }) {
  const [text, setText] = useTextOf(basisPoints, (bp) => (Number.isNaN(bp) ? "" : String(bp / 100)));
  return (
    <TextField
      id={id}
      label={label}
      suffix="%"
      inputMode="decimal"
      autoComplete="off"
      value={text}
      error={error}
      onChange={(next) => {
        const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(next.trim());
        const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : Number.NaN;
        setText(next, bp);
        onChange(bp);
      }}
    />
  );
}

export function ListInput({ id, label, values, onChange, helpText, error }: { id: string; label: string; values: string[]; onChange: (values: string[]) => void; helpText?: string; error?: string }) {
  const [text, setText] = useTextOf(values, (v) => v.join(", "));
  return (
    <TextField
      id={id}
      label={label}
      autoComplete="off"
      value={text}
      helpText={helpText}
      error={error}
      onChange={(next) => {
        const list = next.split(",").map((v) => v.trim()).filter(Boolean);
        setText(next, list);
        onChange(list);
      }}
    />
  );
}

type AnyDiscount = Discount | ItemDiscount;

/** Discount type and amount; `fixed` allows a fixed bundle price. */
export function DiscountFields<D extends AnyDiscount>({ value, onChange, path, fixed = false }: { value: D; onChange: (d: D) => void; path: string; fixed?: boolean }) {
  const t = useT();
  const { currencies, error } = useEditor();
  const types = ["none", "percentage", "amount", ...(fixed ? ["fixed_price"] : [])] as const;
  const change = (type: string) => {
    const next: AnyDiscount =
      type === "percentage" ? { type, basisPoints: 1000 } : type === "amount" ? { type, amounts: {} } : type === "fixed_price" ? { type, prices: {} } : { type: "none" };
    onChange(next as D);
  };
  const perCurrency = value.type === "amount" ? value.amounts : value.type === "fixed_price" ? value.prices : null;
  const setAmount = (currency: string, minor: number | undefined) => {
    const next = { ...perCurrency };
    if (minor === undefined) delete next[currency];
    else next[currency] = minor;
    onChange((value.type === "amount" ? { type: "amount", amounts: next } : { type: "fixed_price", prices: next }) as D);
  };
  return (
    <BlockStack gap="200">
      <Select id={`${path}.type`} label={t("offers.discount.type")} options={types.map((type) => ({ label: t(`offers.discount.${type}`), value: type }))} value={value.type} onChange={change} />
      {value.type === "percentage" && (
        <PercentInput id={`${path}.basisPoints`} label={t("offers.discount.percentOff")} basisPoints={value.basisPoints} onChange={(basisPoints) => onChange({ type: "percentage", basisPoints } as D)} error={error(`${path}.basisPoints`)} />
      )}
      {perCurrency && (
        <BlockStack gap="100">
          <InlineStack gap="200" wrap>
            {currencies.map((currency) => (
              <MoneyInput
                key={currency}
                id={`${path}.${value.type === "amount" ? "amounts" : "prices"}.${currency}`}
                label={t(value.type === "amount" ? "offers.discount.amountIn" : "offers.discount.priceIn", { currency })}
                currency={currency}
                value={perCurrency[currency]}
                onChange={(minor) => setAmount(currency, minor)}
                error={error(`${path}.${value.type === "amount" ? "amounts" : "prices"}.${currency}`)}
              />
            ))}
          </InlineStack>
          <FieldError message={error(`${path}.${value.type === "amount" ? "amounts" : "prices"}`)} id={`${path}.${value.type === "amount" ? "amounts" : "prices"}`} label={t(`offers.discount.${value.type}`)} />
        </BlockStack>
      )}
    </BlockStack>
  );
}

/**
 * The error of a group of fields (a list, a set of amounts). Always on the page, so the
 * editor knows this path has a place to show its error, and focusable from the banner.
 */
export function FieldError({ message, id, label }: { message: string | undefined; id: string; label: string }) {
  return (
    <div id={id} tabIndex={-1} data-label={label}>
      {message && <InlineError message={message} fieldID={id} />}
    </div>
  );
}

/** A group (choice list) that shows its own error, named by its path for the banner's link. */
export function FieldGroup({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div id={id} tabIndex={-1} data-label={label}>
      {children}
    </div>
  );
}
