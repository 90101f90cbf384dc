// Token buckets per key, in bounded memory. Pure: the clock is passed in.
//
// Why memory and not the database: the limit protects the database from a flood of public
// requests, and a counter written per request would be that flood's write. It is per instance
// (N instances admit N times the rate) and forgets on restart; both are acceptable for a limit
// whose job is to cap abuse, not to count. The number of keys is bounded, so a forger rotating
// visitor ids cannot grow memory: the least recently used bucket is dropped, and the shop's own
// bucket still caps what one shop can be sent.

export interface BucketSpec {
  /** Tokens a new key starts with: the burst allowed. */
  capacity: number;
  /** Tokens regained per second. */
  perSecond: number;
}

interface Bucket { tokens: number; at: number }

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly spec: BucketSpec, private readonly maxKeys = 10_000) {}

  /** How many tokens the key has at `now` (milliseconds), without taking any. */
  private current(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.spec.capacity, at: now };
    const regained = (Math.max(0, now - bucket.at) / 1000) * this.spec.perSecond;
    return { tokens: Math.min(this.spec.capacity, bucket.tokens + regained), at: now };
  }

  /** Seconds until `cost` tokens are there (0: now). */
  waitSeconds(key: string, cost: number, now: number): number {
    const { tokens } = this.current(key, now);
    if (cost > this.spec.capacity) return Infinity;
    return tokens >= cost ? 0 : Math.ceil((cost - tokens) / this.spec.perSecond);
  }

  /** Takes `cost` tokens (callers check `waitSeconds` first, for every bucket involved). */
  take(key: string, cost: number, now: number): void {
    const bucket = this.current(key, now);
    bucket.tokens = Math.max(0, bucket.tokens - cost);
    // Delete then set: the Map's order is recency, and the oldest key is the first one.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }

  get size(): number {
    return this.buckets.size;
  }
}

export interface Limits { shop: RateLimiter; visitor: RateLimiter }

/**
 * Admits a batch against the shop's bucket and each of its visitors' buckets, all or nothing:
 * null when admitted (the tokens are taken), else the seconds to wait before sending it again.
 */
export function admit(limits: Limits, shop: string, visitors: Map<string, number>, total: number, now: number): number | null {
  let wait = limits.shop.waitSeconds(shop, total, now);
  for (const [visitor, count] of visitors) wait = Math.max(wait, limits.visitor.waitSeconds(`${shop}|${visitor}`, count, now));
  if (wait > 0) return wait;
  limits.shop.take(shop, total, now);
  for (const [visitor, count] of visitors) limits.visitor.take(`${shop}|${visitor}`, count, now);
  return null;
}
