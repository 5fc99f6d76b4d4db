// Reads a YAML config keeping where each value came from, so a problem found at a path
// (syncs[0].mappings[2].cast) is reported at its line and column: `sluice.yaml:14:9 …`.
import { type ConfigIssue, type ConfigPath, formatConfigPath } from "@sluice/contracts/sluice-config";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

export interface LocatedYaml {
  doc: Document;
  lines: LineCounter;
}

export type YamlParseResult = { ok: true; yaml: LocatedYaml; value: unknown } | { ok: false; errors: string[] };

/** Parses `text`; syntax errors come back already formatted as `file:line:col message`. */
export function parseYaml(text: string, file: string): YamlParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
        return at ? `${file}:${at.line}:${at.col} ${message}` : `${file}: ${message}`;
      }),
    };
  }
  return { ok: true, yaml: { doc, lines }, value: doc.toJS({ maxAliasCount: 100 }) };
}

/**
 * Line and column (1-based) of the node at `path`, or of the nearest enclosing node that exists (a missing
 * key is reported at the map that lacks it). `atKey` points at a map key rather than its value.
 */
export function positionOf(yaml: LocatedYaml, path: ConfigPath, atKey = false): { line: number; col: number } {
  let node: unknown = yaml.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if ((last && atKey) || pair.value === null || pair.value === undefined) {
        offset = keyStart ?? offset;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
    } else break;
    offset = rangeStart(node) ?? offset;
  }
  return yaml.lines.linePos(offset);
}

/** `file:line:col path: message` for each issue. */
export function formatIssues(yaml: LocatedYaml | undefined, file: string, issues: ConfigIssue[]): string[] {
  return issues.map((issue) => {
    const where = formatConfigPath(issue.path);
    const text = where ? `${where}: ${issue.message}` : issue.message;
    if (!yaml) return `${file}: ${text}`;
    const { line, col } = positionOf(yaml, issue.path, issue.atKey);
    return `${file}:${line}:${col} ${text}`;
  });
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
