// Offers out to a JSON file and back in. An import is checked whole before anything is
// written: a bad file is refused with the line and the reason of each problem.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Offer, OfferDefinition, OfferKind } from "./model.ts";
import { parseOfferDefinition } from "./validation.ts";

export const EXPORT_FORMAT = "uplift-offers";
export const EXPORT_VERSION = 1;
export const MAX_IMPORT_OFFERS = 500;
/** Files over 2 MB are refused before they are parsed: 500 offers of the largest kind take well under 1 MB. */
export const MAX_IMPORT_BYTES = 2_000_000;

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
  /** Raw detail for syntax errors (the parser's code), or the limit that was passed. */
  detail?: string;
}

export type ImportResult = { ok: true; offers: OfferDefinition[] } | { ok: false; problems: ImportProblem[] };

/**
 * Line numbers from one scan of the text: finding each problem's line by rescanning the file
 * from its start took 24 s on a 5 MB file with many problems.
 */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** UTF-8 size, encoded only when the length alone cannot tell. */
/** Whether the file is over the import limit (checked before anything else is read). */
export function tooLarge(text: string): boolean {
  if (text.length > MAX_IMPORT_BYTES) return true;
  return text.length * 3 > MAX_IMPORT_BYTES && new TextEncoder().encode(text).length > MAX_IMPORT_BYTES;
}

/**
 * Where brackets nest deeper than `limit` (outside strings), or -1: the parser and the
 * checks after it recurse, and a file nested thousands deep would overflow the stack.
 */
function tooDeepOffset(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/** Deeper than any exported file: the envelope, the list, and an offer's own nesting. */
const MAX_FILE_NESTING = 48;

export function parseOfferImport(text: string, kind: OfferKind): ImportResult {
  if (tooLarge(text)) return { ok: false, problems: [{ line: 1, path: "", message: "offers.import.tooLarge", detail: `${MAX_IMPORT_BYTES / 1_000_000} MB` }] };
  const lineAt = lineIndex(text);
  const deep = tooDeepOffset(text, MAX_FILE_NESTING);
  if (deep !== -1) return { ok: false, problems: [{ line: lineAt(deep), path: "", message: "offers.import.tooDeep" }] };
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { allowTrailingComma: false, disallowComments: true });
  if (syntax.length || !tree) {
    const problems = syntax.map((e) => ({ line: lineAt(e.offset), path: "", message: "offers.import.notJson", detail: printParseErrorCode(e.error) }));
    return { ok: false, problems: problems.length ? problems : [{ line: 1, path: "", message: "offers.import.notJson" }] };
  }
  const fail = (node: Node | undefined, message: string, path = ""): ImportResult => ({ ok: false, problems: [{ line: lineAt(node?.offset ?? 0), path, message }] });
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
        problems.push({ line: lineAt(at.offset), path, message });
      }
    } else if (parsed.offer.kind !== kind) {
      problems.push({ line: lineAt(node.offset), path: "kind", message: `offers.import.wrongKind.${parsed.offer.kind}` });
    } else {
      offers.push(parsed.offer);
    }
  });
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, offers };
}
