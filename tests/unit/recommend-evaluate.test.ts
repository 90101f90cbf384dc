import { describe, expect, it } from "vitest";
import {
  cooccurrenceRecommender, deterministicSplit, leaveOneOut, pairedMargin, popularRecommender, rulesRecommender, timeSplit, trainModel, type DatedBasket, type Metrics,
} from "~/recommend/evaluate";
import { indexNeighbours } from "~/recommend/complements";

const b = (items: string[], at = 0): DatedBasket => ({ items, at });

describe("evaluation", () => {
  // a: 3 orders, b: 4, c: 2, d: 1. Pairs: a+b 2, a+c 1, c+d 1.
  const train = [b(["a", "b"]), b(["a", "b"]), b(["a", "c"]), b(["b"]), b(["b"]), b(["c", "d"])];
  const model = trainModel(train, null);
  const index = indexNeighbours(model);
  const id = (key: string) => model.ids.get(key)!;

  it("computes HitRate, NDCG and coverage by hand on a toy case", () => {
    // Popular ranking: b, a, c, d. Test basket {a, c}: hide a -> given c, list b, a, d: a at rank 2.
    // Hide c -> given a, list b, c, d: c at rank 2. Test basket {b, d}: hide b -> given d, list
    // b, a, c: rank 1; hide d -> given b, list a, c, d: rank 3. Basket {e, a}: e was never seen (a miss); hide a -> nothing given,
    // list b, a: rank 2. Basket {a} alone is skipped (nothing to give).
    const metrics = leaveOneOut(model, [b(["a", "c"]), b(["b", "d"]), b(["e", "a"]), b(["a"])], popularRecommender(model), 5);
    expect(metrics.queries).toBe(6);
    expect(metrics.hr5).toBeCloseTo(5 / 6, 12);
    expect(metrics.hr10).toBeCloseTo(5 / 6, 12);
    expect(metrics.ndcg10).toBeCloseTo((3 / Math.log2(3) + 1 / Math.log2(2) + 1 / Math.log2(4)) / 6, 12);
    // Every list holds at most b, a, c, d: 4 of a catalogue of 5.
    expect(metrics.coverage).toBeCloseTo(4 / 5, 12);
  });

  it("baselines rank by raw co-occurrence and by rule confidence", () => {
    // Given c: co-occurrence a (1) and d (1) tie, broken by id (a interned first); then b by popularity.
    expect(cooccurrenceRecommender(model, index)([id("c")], 3)).toEqual([id("a"), id("d"), id("b")]);
    // Given a and d: co-occurrence sums b 2, c 1 + 1 = 2; rules take the best confidence:
    // c from d is 1/1, b from a only 2/3.
    expect(cooccurrenceRecommender(model, index)([id("a"), id("d")], 2)).toEqual([id("b"), id("c")]);
    expect(rulesRecommender(model, index)([id("a"), id("d")], 2)).toEqual([id("c"), id("b")]);
  });

  it("splits by time when baskets have dates, deterministically otherwise", () => {
    const dated = [b(["x"], 5), b(["y"], 1), b(["z"], 3), b(["w"], 4), b(["v"], 2)];
    expect(timeSplit(dated, 0.4).test.map((x) => x.items[0])).toEqual(["w", "x"]);
    const undated = Array.from({ length: 1000 }, (_, i) => b([`i${i}`]));
    const split = deterministicSplit(undated, 0.2);
    expect(split.test.length + split.train.length).toBe(1000);
    expect(split.test.length).toBeGreaterThan(150);
    expect(split.test.length).toBeLessThan(250);
    expect(deterministicSplit(undated, 0.2).test).toEqual(split.test);
  });

  it("compares two methods query by query: the margin and its paired standard error", () => {
    const metrics = (hits: number[]): Metrics => ({
      queries: hits.length, hr5: 0, hr10: hits.reduce((a, x) => a + x, 0) / hits.length, ndcg10: 0, coverage: 0, ties: 0, hits10: Uint8Array.from(hits),
    });
    // Differences 0, 1, 0, -1: mean 0, sample variance (1 + 1) / 3, standard error √(2/3 / 4).
    const { margin, standardError } = pairedMargin(metrics([1, 1, 0, 0]), metrics([1, 0, 0, 1]));
    expect(margin).toBe(0);
    expect(standardError).toBeCloseTo(Math.sqrt(2 / 3 / 4), 12);
  });
});
