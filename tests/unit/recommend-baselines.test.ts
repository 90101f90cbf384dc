import { describe, expect, it } from "vitest";
import type { ItemKey } from "~/recommend/baskets";
import { easeRecommender, knnRecommender, trainModel, type DatedBasket } from "~/recommend/evaluate";
import { indexNeighbours } from "~/recommend/complements";
import { fitEase } from "~/recommend/ease";
import { invertPositiveDefinite, multiply } from "~/recommend/linalg";
import { addScore, createScores, takeTop } from "~/recommend/top";

const b = (items: string[], at = 0): DatedBasket => ({ items, at });
const times = (n: number, items: string[]) => Array.from({ length: n }, () => b(items));

describe("dense inverse", () => {
  it("inverts a symmetric positive definite matrix: A·A⁻¹ = I", () => {
    const a = Float64Array.from([4, 2, 0, 2, 3, 1, 0, 1, 2]);
    const inverse = invertPositiveDefinite(Float64Array.from(a), 3);
    // det = 4·(6 - 1) - 2·(4 - 0) = 12; the (0, 0) cofactor is 3·2 - 1·1 = 5.
    expect(inverse[0]).toBeCloseTo(5 / 12, 12);
    const identity = multiply(a, inverse, 3);
    identity.forEach((x, i) => expect(x).toBeCloseTo(i % 4 === 0 ? 1 : 0, 12));
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => invertPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});

describe("top-K", () => {
  it("keeps the best scores, breaks ties by the lower id and counts a tie at the cut", () => {
    const scores = createScores(6);
    for (const [id, score] of [[5, 1], [4, 2], [3, 2], [2, 2], [1, 3], [0, 0]] as const) addScore(scores, id, score);
    expect(takeTop(scores, 3, new Set([1]))).toEqual([2, 3, 4]);
    expect(scores.ties).toBe(0);
    for (const id of [5, 4, 3]) addScore(scores, id, 1);
    expect(takeTop(scores, 2, new Set())).toEqual([3, 4]);
    // 3, 4 and 5 all scored 1: the cut between 4 and 5 was the tie-break's.
    expect(scores.ties).toBe(1);
  });
});

describe("item kNN", () => {
  // a: 3 orders, b: 4, c: 2, d: 1. Pairs: a+b 2, a+c 1, c+d 1.
  const model = trainModel([b(["a", "b"]), b(["a", "b"]), b(["a", "c"]), b(["b"]), b(["b"]), b(["c", "d"])], null);
  const id = (key: string) => model.ids.get(key)!;
  const knn = knnRecommender(model, indexNeighbours(model));

  it("sums cosine similarities n_AC / √(n_A·n_C) over the basket", () => {
    // Given c: d 1/√2 = 0.71 beats a 1/√6 = 0.41 (raw co-occurrence ties them); b by popularity.
    expect(knn([id("c")], 3)).toEqual([id("d"), id("a"), id("b")]);
    // Given a and d: c 1/√6 + 1/√2 = 1.11 beats b 2/√12 = 0.58.
    expect(knn([id("a"), id("d")], 2)).toEqual([id("c"), id("b")]);
  });
});

describe("EASE", () => {
  it("matches the closed form on two items: B_ab = n_ab / (n_a + λ)", () => {
    // n_a = 3, n_b = 5, n_ab = 2; P = (G + λI)⁻¹ and B_ab = -P_ab / P_bb = n_ab / (n_a + λ).
    const model = trainModel([...times(2, ["a", "b"]), b(["a"]), ...times(3, ["b"])], null);
    const fit = fitEase(model, 1, 10);
    const [ra, rb] = [fit.row[model.ids.get("a")!]!, fit.row[model.ids.get("b")!]!];
    expect(fit.weights[ra * 2 + rb]).toBeCloseTo(2 / 4, 12);
    expect(fit.weights[rb * 2 + ra]).toBeCloseTo(2 / 6, 12);
    expect(fit.weights[ra * 2 + ra]).toBe(0);
  });

  it("learns negative weights for substitutes, and satisfies its optimality conditions", () => {
    // Two chargers a and b, each bought with the phone c, never with each other.
    const baskets = [...times(10, ["a", "c"]), ...times(10, ["b", "c"]), ...times(3, ["c"]), ...times(2, ["a"])];
    const model = trainModel(baskets, null);
    const lambda = 2;
    const fit = fitEase(model, lambda, 10);
    const n = fit.items.length;
    const row = (key: ItemKey) => fit.row[model.ids.get(key)!]!;
    expect(fit.weights[row("a") * n + row("b")]).toBeLessThan(0);
    expect(fit.weights[row("c") * n + row("b")]).toBeGreaterThan(0);
    // XᵀX + λI counted from the baskets themselves; (XᵀX + λI)(I - B) must be diagonal.
    const gram = new Float64Array(n * n);
    for (let r = 0; r < n; r++) gram[r * n + r] = lambda;
    for (const basket of baskets) for (const x of basket.items) for (const y of basket.items) gram[row(x) * n + row(y)]! += 1;
    const residual = multiply(gram, fit.weights.map((w, i) => (i % (n + 1) === 0 ? 1 : 0) - w), n);
    residual.forEach((x, i) => { if (i % (n + 1) !== 0) expect(x).toBeCloseTo(0, 9); });
  });

  it("keeps only the most bought items when asked to, and recommends from them", () => {
    const model = trainModel([...times(5, ["a", "b"]), ...times(4, ["a", "c"]), b(["d", "a"])], null);
    const fit = fitEase(model, 1, 3);
    expect(fit.items.length).toBe(3);
    expect(fit.catalogue).toBe(4);
    expect(fit.row[model.ids.get("d")!]).toBe(-1);
    const ease = easeRecommender(model, fit);
    expect(ease([model.ids.get("b")!], 1)).toEqual([model.ids.get("a")]);
  });
});
