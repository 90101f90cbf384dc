import { existsSync } from "node:fs";

/** Flags that keep Chromium quiet on an offline, sandboxed machine. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH; null when absent. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((file): file is string => !!file && existsSync(file)) ?? null;
}
