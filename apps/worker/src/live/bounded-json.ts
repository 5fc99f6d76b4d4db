// Sampled payloads and responses go through NOTIFY to every worker and on to browsers: one huge record must
// not make every live message huge. Values whose JSON is over the limit are replaced by a marked preview.

/** Characters of JSON kept in the preview of a value over the limit. */
const PREVIEW_CHARS = 2_048;

export type Truncated = { truncated: true; bytes: number; preview: string };

export function boundedJson(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return { truncated: true, bytes: 0, preview: "(not representable as JSON)" } satisfies Truncated;
  }
  if (text === undefined) return null;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= maxBytes) return value;
  return { truncated: true, bytes, preview: text.slice(0, PREVIEW_CHARS) } satisfies Truncated;
}
