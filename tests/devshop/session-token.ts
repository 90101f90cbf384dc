// App Bridge session tokens, signed as Shopify signs them: HS256 with the app's secret.
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  ttlSeconds?: number;
  /** For tests: shift the clock, e.g. -600 for an expired token. */
  offsetSeconds?: number;
}

export async function mintSessionToken(c: SessionTokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000) + (c.offsetSeconds ?? 0);
  return new SignJWT({ dest: `https://${c.shop}`, sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${c.shop}/admin`)
    .setAudience(c.apiKey)
    .setSubject(c.userId ?? "1")
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (c.ttlSeconds ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(c.apiSecret));
}
