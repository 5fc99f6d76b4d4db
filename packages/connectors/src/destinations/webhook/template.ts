// The webhook's optional record template: a JSON document whose strings may hold {{path}} placeholders,
// rendered once per record. A string that is exactly one placeholder takes the value itself (numbers stay
// numbers, objects stay objects); a placeholder inside other text is written into the text. Paths start at
// op, key, data, idempotencyKey, syncId, runId or batchId, e.g. {{data.email}} or {{key.id}}.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}$/;
export const TEMPLATE_ROOTS = ["op", "key", "data", "idempotencyKey", "syncId", "runId", "batchId"] as const;

export type TemplateContext = Record<(typeof TEMPLATE_ROOTS)[number], unknown>;

/** Why `text` cannot be a record template (not JSON, an unknown placeholder root); undefined when it can. */
export function templateProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `the template is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const roots = new Set<string>(TEMPLATE_ROOTS);
  for (const path of placeholders(parsed)) {
    const root = path.split(".")[0] as string;
    if (!roots.has(root)) return `{{${path}}} does not start with one of ${TEMPLATE_ROOTS.join(", ")}`;
  }
  return undefined;
}

/** A renderer for a valid template (check it with templateProblem first). */
export function compileTemplate(text: string): (context: TemplateContext) => unknown {
  const template: unknown = JSON.parse(text);
  return (context) => render(template, context);
}

function render(node: unknown, context: TemplateContext): unknown {
  if (typeof node === "string") {
    const whole = WHOLE.exec(node);
    if (whole) return lookup(context, whole[1] as string) ?? null;
    return node.replace(PLACEHOLDER, (_, path: string) => {
      const value = lookup(context, path);
      if (value === undefined || value === null) return "";
      return typeof value === "string" ? value : JSON.stringify(value);
    });
  }
  if (Array.isArray(node)) return node.map((item) => render(item, context));
  if (node !== null && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = render(value, context);
    return out;
  }
  return node;
}

function lookup(context: TemplateContext, path: string): unknown {
  let node: unknown = context;
  for (const segment of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function placeholders(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") for (const match of node.matchAll(PLACEHOLDER)) out.push(match[1] as string);
  else if (Array.isArray(node)) for (const item of node) placeholders(item, out);
  else if (node !== null && typeof node === "object") for (const value of Object.values(node)) placeholders(value, out);
  return out;
}
