// Scores accumulated per item id in a dense array, then the best few picked without sorting
// every candidate. A basket's candidates are a few thousand items at most; a Map per query
// and a full sort cost more than the scoring itself on 100,000 test baskets.
//
// Ties are broken by the lower item id (ids are given in order of first appearance), so a
// ranking never depends on hash or insertion order; `ties` counts the lists whose last place
// was decided that way, so an evaluation can say how often it happened.

export interface Scores {
  value: Float64Array;
  /** 1 for ids that hold a score in this round. */
  marked: Uint8Array;
  touched: Int32Array;
  size: number;
  /** Lists cut inside a run of equal scores (the tie-break chose who made the cut). */
  ties: number;
}

export function createScores(items: number): Scores {
  return { value: new Float64Array(items), marked: new Uint8Array(items), touched: new Int32Array(items), size: 0, ties: 0 };
}

export function addScore(scores: Scores, id: number, amount: number): void {
  if (!scores.marked[id]) {
    scores.marked[id] = 1;
    scores.value[id] = 0;
    scores.touched[scores.size++] = id;
  }
  scores.value[id]! += amount;
}

/** Gives `id` a score of at least nothing added yet (a candidate with no evidence). */
export function markCandidate(scores: Scores, id: number): void {
  addScore(scores, id, 0);
}

export function scoreOf(scores: Scores, id: number): number | undefined {
  return scores.marked[id] ? scores.value[id] : undefined;
}

const better = (scores: Float64Array, a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);

/**
 * The `limit` best marked ids not in `exclude`, best first, and clears the round. Keeps a
 * sorted list of limit + 1 (one past the cut, to see a tie at the cut).
 */
export function takeTop(scores: Scores, limit: number, exclude: ReadonlySet<number>): number[] {
  const best: number[] = [];
  if (limit <= 0) {
    for (let t = 0; t < scores.size; t++) scores.marked[scores.touched[t]!] = 0;
    scores.size = 0;
    return best;
  }
  const keep = limit + 1;
  const value = scores.value;
  for (let t = 0; t < scores.size; t++) {
    const id = scores.touched[t]!;
    scores.marked[id] = 0;
    if (exclude.has(id)) continue;
    if (best.length === keep && !better(value, id, best[keep - 1]!)) continue;
    let at = best.length === keep ? keep - 1 : best.length;
    while (at > 0 && better(value, id, best[at - 1]!)) at--;
    best.splice(at, 0, id);
    if (best.length > keep) best.pop();
  }
  scores.size = 0;
  if (best.length === keep && value[best[limit - 1]!] === value[best[limit]!]) scores.ties++;
  return best.slice(0, limit);
}

/** Keeps the larger of the id's score and `amount` (for "best rule" rankings). */
export function maxScore(scores: Scores, id: number, amount: number): void {
  if (!scores.marked[id]) addScore(scores, id, amount);
  else if (amount > scores.value[id]!) scores.value[id] = amount;
}
