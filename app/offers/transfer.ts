// Offers out to a JSON file and back in. An import is checked whole before anything is
// written: a bad file is refused with the line and the reason of each problem.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Offer, OfferDefinition, OfferKind } from "./model.ts";
import { parseOfferDefinition } from "./validation.ts";

export const EXPORT_FORMAT = "uplift-offers";
export const EXPORT_VERSION = 1;
export const MAX_IMPORT_OFFERS = 500;

export function exportOffers(offers: Offer[], exportedAt: Date): string {
  const definitions = offers.map(({ id: _id, createdAt: _createdAt, ...definition }) => definition);
  // One offer per line keeps the file diffable and the line numbers of problems useful.
  const lines = definitions.map((d) => `    ${JSON.stringify(d)}`).join(",\n");
  return `{\n  "format": "${EXPORT_FORMAT}",\n  "version": ${EXPORT_VERSION},\n  "exportedAt": "${exportedAt.toISOString()}",\n  "offers": [\n${lines}\n  ]\n}\n`;
}

export interface ImportProblem {
  line: number;
  /** Where in the offer, as a dotted path ("bundle.items.0.quantity"), or "" for the file. */
  path: string;
  /** Translation key of the reason. */
  message: string;
  /** Raw detail for syntax errors (the parser's code). */
  detail?: string;
}

export type ImportResult = { ok: true; offers: OfferDefinition[] } | { ok: false; problems: ImportProblem[] };

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseOfferImport(text: string, kind: OfferKind): ImportResult {
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { allowTrailingComma: false, disallowComments: true });
  if (syntax.length || !tree) {
    const first = syntax[0];
    return { ok: false, problems: [{ line: first ? lineAt(text, first.offset) : 1, path: "", message: "offers.import.notJson", detail: first ? printParseErrorCode(first.error) : undefined }] };
  }
  const fail = (node: Node | undefined, message: string, path = ""): ImportResult => ({ ok: false, problems: [{ line: lineAt(text, node?.offset ?? 0), path, message }] });
  if (getNodeValue(findNodeAtLocation(tree, ["format"]) ?? tree) !== EXPORT_FORMAT) return fail(tree, "offers.import.notUplift");
  const version = findNodeAtLocation(tree, ["version"]);
  if (!version || getNodeValue(version) !== EXPORT_VERSION) return fail(version, "offers.import.version");
  const list = findNodeAtLocation(tree, ["offers"]);
  if (!list || list.type !== "array") return fail(list, "offers.import.noOffers");
  const items = list.children ?? [];
  if (!items.length) return fail(list, "offers.import.noOffers");
  if (items.length > MAX_IMPORT_OFFERS) return fail(list, "offers.import.tooMany");

  const offers: OfferDefinition[] = [];
  const problems: ImportProblem[] = [];
  items.forEach((node) => {
    const parsed = parseOfferDefinition(getNodeValue(node));
    if (!parsed.ok) {
      for (const [path, message] of Object.entries(parsed.errors)) {
        const at = findNodeAtLocation(node, path ? path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : []) ?? node;
        problems.push({ line: lineAt(text, at.offset), path, message });
      }
    } else if (parsed.offer.kind !== kind) {
      problems.push({ line: lineAt(text, node.offset), path: "kind", message: `offers.import.wrongKind.${parsed.offer.kind}` });
    } else {
      offers.push(parsed.offer);
    }
  });
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, offers };
}
