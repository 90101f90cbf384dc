// A no-op Function for the functions benchmark: built and run exactly as the real ones (the
// same input parsed from JSON, the output written back), but it returns no operations. What
// is left over is the cost Shopify pays for any Function reading this input.
export function run(input: { cart: { lines: unknown[] } }): { operations: never[] } {
  return { operations: input.cart.lines.length < 0 ? [] : [] };
}
