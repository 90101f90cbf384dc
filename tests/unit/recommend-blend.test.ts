import { describe, expect, it } from "vitest";
import { blendRecommender, DEFAULT_BLEND, pairScorer, scoreBasket, weightedPopular, type Blend } from "~/recommend/blend";
import { indexNeighbours } from "~/recommend/complements";
import { BLEND_GRID, evaluateBaskets, learnBlend, trainModel, type DatedBasket } from "~/recommend/evaluate";
import { createScores, scoreOf } from "~/recommend/top";
import { mulberry32 } from "../devshop/random";

const DAY = 86_400_000;
const b = (items: string[], at = 0): DatedBasket => ({ items, at });
const times = (n: number, items: string[], at = 0) => Array.from({ length: n }, () => b(items, at));
const every: Blend = { ...DEFAULT_BLEND, confidence: 1, confidencePrior: 5, cosine: 0.5, bayes: 0.3, bayesPrior: 20, popularity: 0.1, anchorNorm: 0, halfLifeDays: 30 };

describe("Uplift's blend", () => {
  const baskets = [
    ...times(30, ["phone", "case"], 0), ...times(10, ["phone", "charger"], 40 * DAY), ...times(50, ["mug"], 20 * DAY),
    ...times(5, ["case", "charger"], 60 * DAY), ...times(8, ["phone", "mug"], 80 * DAY), b(["lamp", "mug"], 90 * DAY),
  ];
  const model = trainModel(baskets, every.halfLifeDays);
  const index = indexNeighbours(model);
  const id = (key: string) => model.ids.get(key)!;

  it("scores a basket as the popularity prior plus every basket item's pair term, bought together or not", () => {
    const s = pairScorer(model, every);
    const scores = createScores(model.items.length);
    const basket = [id("phone"), id("charger")];
    scoreBasket(index, s, scores, basket, new Set(basket), weightedPopular(model, 10));
    const pair = (a: number, c: number) => {
      for (let at = index.offsets[a]!; at < index.offsets[a + 1]!; at++) if (index.neighbour[at] === c) return s.pair(a, c, index.weight[at]!, index.share[at]!);
      return s.pair(a, c, 0, 0);
    };
    for (const c of ["case", "mug", "lamp"].map(id)) {
      const expected = s.prior(c) + basket.reduce((sum, a) => sum + pair(a, c), 0);
      expect(scoreOf(scores, c)).toBeCloseTo(expected, 10);
    }
  });

  it("counts a best seller never bought with the basket as evidence against it", () => {
    const bayesOnly: Blend = { ...every, confidence: 0, cosine: 0, popularity: 0, halfLifeDays: null };
    const flat = trainModel(baskets, null);
    const s = pairScorer(flat, bayesOnly);
    const key = (item: string) => flat.ids.get(item)!;
    // The lamp was never bought with the phone: below chance, so its pair term is negative.
    expect(s.pair(key("phone"), key("lamp"), 0, 0)).toBeLessThan(0);
    // The case was, in 30 of its 35 orders: far above chance.
    expect(s.pair(key("phone"), key("case"), 30, 30)).toBeGreaterThan(0);
    // Given the phone, the case comes before the mug, the best seller.
    expect(blendRecommender(flat, indexNeighbours(flat), bayesOnly)([key("phone")], 2)).toEqual([key("case"), key("mug")]);
  });

  it("learns its weights from the training baskets alone, deterministically, from its grid", () => {
    const train = baskets.map((basket, i) => ({ ...basket, at: i * DAY }));
    const learned = learnBlend(train);
    expect(learnBlend(train)).toEqual(learned);
    for (const [name, values] of Object.entries(BLEND_GRID)) expect(values).toContain(learned[name as keyof Blend]);
  });

  it("beats best sellers, co-occurrence, rules and item kNN on a shop with complements and noise", () => {
    // Printers (some far more popular), each with its own ink, a cable per family, paper with
    // anything, and Zipf-distributed odds and ends. (EASE wins this one: see the bench figures.)
    const rand = mulberry32(7);
    const shop: DatedBasket[] = [];
    for (let i = 0; i < 4000; i++) {
      const printer = Math.floor(rand() ** 2 * 40);
      const items = [`printer-${printer}`];
      if (rand() < 0.7) items.push(`ink-${printer}`);
      if (rand() < 0.4) items.push(`paper-${Math.floor(rand() * 3)}`);
      if (rand() < 0.3) items.push(`cable-${printer % 4}`);
      while (rand() < 0.3) items.push(`misc-${Math.floor(rand() ** 3 * 60)}`);
      shop.push(b(items, i * DAY));
    }
    const evaluation = evaluateBaskets(shop);
    for (const baseline of [evaluation.popular, evaluation.cooccur, evaluation.rules, evaluation.knn]) {
      expect(evaluation.uplift.hr10).toBeGreaterThan(baseline.hr10);
      expect(evaluation.uplift.ndcg10).toBeGreaterThan(baseline.ndcg10);
    }
  });
});
