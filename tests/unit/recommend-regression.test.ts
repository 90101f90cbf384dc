import { describe, expect, it } from "vitest";
import { indexNeighbours } from "~/recommend/complements";
import { fitEase } from "~/recommend/ease";
import { hiddenPositions, trainModel, type DatedBasket } from "~/recommend/evaluate";
import { solvePositiveDefinite } from "~/recommend/linalg";
import { DENSE_MAX_ITEMS, EVERY_ITEM, indexRegressions, itemRegressions } from "~/recommend/regression";
import { mulberry32 } from "../devshop/random";

function shop(): DatedBasket[] {
  const rand = mulberry32(11);
  return Array.from({ length: 600 }, () => {
    const anchor = Math.floor(rand() ** 2 * 12);
    const items = [`p${anchor}`];
    if (rand() < 0.6) items.push(`p${(anchor + 1) % 12}`);
    while (rand() < 0.4) items.push(`p${Math.floor(rand() * 12)}`);
    return { items, at: 0 };
  });
}

describe("neighbourhood regression", () => {
  it("solves a positive definite system by Cholesky", () => {
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const x = solvePositiveDefinite(Float64Array.from(a), 3, Float64Array.from([2, 3, 4]));
    for (let i = 0; i < 3; i++) expect(a[i * 3]! * x[0]! + a[i * 3 + 1]! * x[1]! + a[i * 3 + 2]! * x[2]!).toBeCloseTo([2, 3, 4][i]!, 12);
    expect(() => solvePositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2, new Float64Array(2))).toThrow(/positive definite/);
  });

  it("is EASE when every co-bought item may predict (no recency, no dropout)", () => {
    const model = trainModel(shop(), null);
    const index = indexNeighbours(model);
    const ease = fitEase(model, 50, 1000);
    const regressions = itemRegressions(model, index, { ridge: 50, dropout: 0, neighbours: 1000 });
    const n = ease.items.length;
    let compared = 0;
    for (let c = 0; c < model.items.length; c++) {
      const fit = regressions.of(c);
      fit.sources.forEach((a, i) => {
        expect(fit.weights[i]).toBeCloseTo(ease.weights[ease.row[a]! * n + ease.row[c]!]!, 9);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(50);
  });

  it("is EASE over the whole catalogue with every item as predictor, items never bought together included", () => {
    // Two items never bought together still weigh on each other through the items they share.
    const baskets: DatedBasket[] = [...shop(), ...Array.from({ length: 40 }, (_, i) => ({ items: i % 2 ? ["x", "hub"] : ["y", "hub"], at: 0 }))];
    const model = trainModel(baskets, null);
    const index = indexNeighbours(model);
    const ease = fitEase(model, 50, 1000);
    const regressions = itemRegressions(model, index, { ridge: 50, dropout: 0, neighbours: EVERY_ITEM });
    const n = ease.items.length;
    const [x, y] = [model.ids.get("x")!, model.ids.get("y")!];
    expect(regressions.weight(x, y)).not.toBe(0);
    for (let c = 0; c < model.items.length; c++) {
      const fit = regressions.of(c);
      expect(fit.sources.length).toBe(n - 1);
      fit.sources.forEach((a, i) => expect(fit.weights[i]).toBeCloseTo(ease.weights[ease.row[a]! * n + ease.row[c]!]!, 9));
      for (let a = 0; a < model.items.length; a++) {
        const expected = a === c ? 0 : ease.weights[ease.row[a]! * n + ease.row[c]!]!;
        expect(regressions.weight(a, c)).toBeCloseTo(expected, 9);
      }
    }
    const votes = new Map<number, number>();
    regressions.votes(x, (c, w) => votes.set(c, w));
    expect(votes.get(y)).toBeCloseTo(regressions.weight(x, y), 12);
    expect(votes.has(x)).toBe(false);
  });

  it("falls back to each item's most co-bought neighbours on a catalogue too large to solve densely", () => {
    const baskets: DatedBasket[] = Array.from({ length: DENSE_MAX_ITEMS + 10 }, (_, i) => ({ items: [`q${i}`, `q${i + 1}`], at: 0 }));
    const model = trainModel(baskets, null);
    const regressions = itemRegressions(model, indexNeighbours(model), { ridge: 10, dropout: 0, neighbours: EVERY_ITEM });
    expect(regressions.of(5).sources.length).toBe(2);
  });

  it("keeps each item's K most co-bought predictors, and the index turned around holds the same weights", () => {
    const model = trainModel(shop(), 90);
    const index = indexNeighbours(model);
    const regressions = itemRegressions(model, index, { ridge: 10, dropout: 0.25, neighbours: 3 });
    const turned = indexRegressions(regressions, model.items.length);
    for (let c = 0; c < model.items.length; c++) {
      const fit = regressions.of(c);
      expect(fit.sources.length).toBeLessThanOrEqual(3);
      fit.sources.forEach((a, i) => {
        let found = Number.NaN;
        for (let at = turned.offsets[a]!; at < turned.offsets[a + 1]!; at++) if (turned.candidate[at] === c) found = turned.weight[at]!;
        expect(found).toBe(fit.weights[i]);
        expect(regressions.weight(a, c)).toBe(fit.weights[i]);
      });
    }
  });

  it("hides every item of a small basket and an even spread of a large one", () => {
    expect(hiddenPositions(3, 5)).toEqual([0, 1, 2]);
    expect(hiddenPositions(10, 2)).toEqual([0, 5]);
  });
});
