import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";

// The lint rule that keeps the pure cores pure (eslint.config.js): a core importing the
// database, Remix or the network is an error; its *.server.ts shell may.
const eslint = new ESLint();
/** The lines the purity rules flag. */
const messages = async (filePath: string, code: string) =>
  [...new Set((await eslint.lintText(code, { filePath }))[0]!.messages.filter((m) => m.ruleId?.startsWith("no-restricted")).map((m) => m.line))];

describe("pure cores", () => {
  it("refuse the database, Remix, a shell and the network", async () => {
    const code = [
      'import prisma from "~/db.server";',
      'import { json } from "@remix-run/node";',
      'import { listOffers } from "./repository.server";',
      'import { request } from "node:https";',
      "export const x = [prisma, json, listOffers, request, fetch];",
    ].join("\n");
    expect(await messages("app/offers/example.ts", code)).toEqual([1, 2, 3, 4, 5]);
    expect(await messages("app/recommend/example.ts", 'import { PrismaClient } from "@prisma/client";\nexport const c = PrismaClient;')).toEqual([1]);
  });

  it("leave the shells beside them free to use them", async () => {
    expect(await messages("app/offers/example.server.ts", 'import prisma from "~/db.server";\nexport const p = prisma;')).toEqual([]);
  });
});
