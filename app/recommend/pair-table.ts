// An integer-keyed hash table in two typed arrays (open addressing, linear probing,
// backward-shift deletion). The co-purchase model looks a pair up several million times
// per build; a JS Map of a million entries costs ~500 ns a lookup, this ~50 ns, and about a
// third of the memory. Keys are non-negative integers below 2^53; values are slot numbers.

export interface PairTable {
  keys: Float64Array;
  values: Int32Array;
  size: number;
  /** 32 - log2(capacity): multiplicative hashing keeps the top bits. */
  shift: number;
}

const EMPTY = -1;
const MIN_BITS = 8;

export function createPairTable(bits = MIN_BITS): PairTable {
  return { keys: new Float64Array(2 ** bits).fill(EMPTY), values: new Int32Array(2 ** bits), size: 0, shift: 32 - bits };
}

function home(table: PairTable, key: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) >>> 0;
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> table.shift;
}

/** The key's position, or the empty position where it would go. */
function find(table: PairTable, key: number): number {
  const mask = table.keys.length - 1;
  let at = home(table, key);
  while (table.keys[at] !== EMPTY && table.keys[at] !== key) at = (at + 1) & mask;
  return at;
}

export function tableGet(table: PairTable, key: number): number | undefined {
  const at = find(table, key);
  return table.keys[at] === EMPTY ? undefined : table.values[at];
}

function grow(table: PairTable): void {
  const { keys, values } = table;
  const bigger = createPairTable(33 - table.shift);
  for (let at = 0; at < keys.length; at++) if (keys[at] !== EMPTY) tableSet(bigger, keys[at]!, values[at]!);
  Object.assign(table, bigger);
}

export function tableSet(table: PairTable, key: number, value: number): void {
  let at = find(table, key);
  if (table.keys[at] === EMPTY) {
    // Half full at most, so probes stay short.
    if ((table.size + 1) * 2 > table.keys.length) {
      grow(table);
      at = find(table, key);
    }
    table.keys[at] = key;
    table.size++;
  }
  table.values[at] = value;
}

export function tableDelete(table: PairTable, key: number): void {
  const mask = table.keys.length - 1;
  let hole = find(table, key);
  if (table.keys[hole] === EMPTY) return;
  table.size--;
  // Shift back every later entry of the run whose home is not between the hole and it.
  for (let at = (hole + 1) & mask; table.keys[at] !== EMPTY; at = (at + 1) & mask) {
    const wanted = home(table, table.keys[at]!);
    if (((at - wanted) & mask) >= ((at - hole) & mask)) {
      table.keys[hole] = table.keys[at]!;
      table.values[hole] = table.values[at]!;
      hole = at;
    }
  }
  table.keys[hole] = EMPTY;
}
