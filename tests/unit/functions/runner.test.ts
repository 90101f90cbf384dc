// The Function test kit itself: schema checks and the QuickJS runner (tests/devshop/functions).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFunction } from "../../devshop/functions/quickjs.ts";
import { loadFunctionSchema, validateInputQuery, validateInputShape, validateOutput } from "../../devshop/functions/schema.ts";

const sample = path.join(import.meta.dirname, "sample-function");
const cart = (quantity: number) => ({ cart: { lines: [{ id: "gid://shopify/CartLine/1", quantity }] } });

describe("Function schemas", () => {
  it("validates an input query against the Function API", () => {
    const schema = loadFunctionSchema("cart_transform", "2026-07");
    expect(validateInputQuery(schema, "query { cart { lines { id quantity } } }")).toEqual([]);
    expect(validateInputQuery(schema, "query { cart { lines { nope } } }").length).toBeGreaterThan(0);
  });

  it("validates a Function's output against its output type", () => {
    const schema = loadFunctionSchema("cart_transform", "2026-07");
    expect(validateOutput(schema, "CartTransformRunResult", { operations: [] })).toEqual([]);
    const errors = validateOutput(schema, "CartTransformRunResult", { operations: [{ linesMerge: { cartLines: [] } }] });
    expect(errors.map((e) => e.path)).toContain("operations[0].linesMerge");
    const discount = loadFunctionSchema("discount", "2026-07");
    expect(validateOutput(discount, "CartLinesDiscountsGenerateRunResult", { operations: [], extra: 1 }).length).toBeGreaterThan(0);
    // @oneOf: an operation with two members, or none, is refused.
    const value = { percentage: { value: "10" }, fixedAmount: { amount: "1" } };
    const two = validateOutput(discount, "CartLinesDiscountsGenerateRunResult", {
      operations: [{ productDiscountsAdd: { selectionStrategy: "FIRST", candidates: [{ targets: [{ cartLine: { id: "gid://shopify/CartLine/1" } }], value }] } }],
    });
    expect(two.map((e) => e.path)).toEqual(["operations[0].productDiscountsAdd.candidates[0].value"]);
    expect(validateOutput(schema, "CartTransformRunResult", { operations: [{}] }).map((e) => e.path)).toEqual(["operations[0]"]);
  });
});

describe("validateInputShape", () => {
  const schema = loadFunctionSchema("cart_transform", "2026-07");
  const query = "query { cart { lines { id quantity merchandise { __typename ... on ProductVariant { id } } } } }";
  const line = { id: "gid://shopify/CartLine/1", quantity: 1, merchandise: { __typename: "ProductVariant", id: "gid://shopify/ProductVariant/1" } };

  it("accepts exactly what the query asks for", () => {
    expect(validateInputShape(schema, query, { cart: { lines: [line] } })).toEqual([]);
    expect(validateInputShape(schema, query, { cart: { lines: [{ ...line, merchandise: { __typename: "CustomProduct" } }] } })).toEqual([]);
  });

  it("refuses missing, extra and mistyped fields", () => {
    const { quantity: _dropped, ...noQuantity } = line;
    const errors = validateInputShape(schema, query, { cart: { lines: [noQuantity, { ...line, cost: {} }, { ...line, quantity: "1" }, { ...line, merchandise: { __typename: "Cart" } }] } });
    expect(errors.map((e) => e.path)).toEqual(["cart.lines[0].quantity", "cart.lines[1].cost", "cart.lines[2].quantity", "cart.lines[3].merchandise"]);
  });

  it("reads aliases, and without __typename takes whichever possible type the value matches", () => {
    const aliased = "query { cart { lines { i: id m: merchandise { t: __typename ... on ProductVariant { i: id } } } } }";
    expect(validateInputShape(schema, aliased, { cart: { lines: [{ i: "gid://shopify/CartLine/1", m: { t: "ProductVariant", i: "gid://shopify/ProductVariant/1" } }] } })).toEqual([]);
    expect(validateInputShape(schema, aliased, { cart: { lines: [{ i: "gid://shopify/CartLine/1", m: { t: "Cart" } }] } }).map((e) => e.path)).toEqual(["cart.lines[0].m"]);
    const bare = "query { cart { lines { i: id m: merchandise { ... on ProductVariant { i: id } } } } }";
    const lines = [{ m: { i: "gid://shopify/ProductVariant/1" } }, { m: {} }, { m: { i: 1 } }, { m: { i: "gid://shopify/ProductVariant/1", x: 1 } }];
    const errors = validateInputShape(schema, bare, { cart: { lines: lines.map((l, n) => ({ i: `gid://shopify/CartLine/${n}`, ...l })) } });
    expect(errors.map((e) => e.path)).toEqual(["cart.lines[2].m", "cart.lines[3].m"]);
  });
});

describe("QuickJS runner", () => {
  it("reads the toml and runs the bundled Function, counting work through the interrupt handler", async () => {
    const fn = await loadFunction(sample);
    expect(fn.target).toBe("cart.transform.run");
    expect(fn.exportName).toBe("run");
    expect(fn.inputQuery).toContain("quantity");
    const small = fn.run(cart(1));
    const large = fn.run(cart(200));
    expect(small.output).toEqual({ operations: [] });
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += i % 7;
    expect(large.logs).toEqual([`sum ${sum}`]);
    expect(large.instructions).toBeGreaterThan(small.instructions);
  });

  it("gives the Function no Node or host APIs", async () => {
    const fn = await loadFunction(sample);
    expect(fn.run(cart(98)).output).toEqual({ operations: [], hosts: [] });
  });

  it("says clearly when the Function throws or runs too long", async () => {
    const fn = await loadFunction(sample, { timeoutMs: 200 });
    expect(() => fn.run(cart(99))).toThrow(/The Function threw: Error: sample failure/);
    expect(() => fn.run(cart(97))).toThrow(/stopped: it ran longer than 200 ms/);
  });
});
