// A sample Function for the runner's tests: its behaviour is chosen by the first line's quantity.
interface Input { cart: { lines: { id: string; quantity: number }[] } }

export function run(input: Input): unknown {
  const q = input.cart.lines[0]?.quantity ?? 0;
  if (q === 99) throw new Error("sample failure");
  if (q === 98) {
    const g = globalThis as Record<string, unknown>;
    return { operations: [], hosts: ["process", "require", "fetch", "setTimeout", "Buffer"].filter((n) => typeof g[n] !== "undefined") };
  }
  if (q === 97) while (true) { /* spin until the runner stops it */ }
  let sum = 0;
  for (let i = 0; i < q * 1000; i++) sum += i % 7;
  console.log("sum", sum);
  return { operations: [] };
}
