// A URL slug from a workspace name: "Acme Data Team" → "acme-data-team". Accents are folded, anything
// else outside [a-z0-9] becomes a dash, and the result fits WORKSPACE_SLUG_PATTERN.
export const SLUG_MAX_LENGTH = 40;

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, "");
  return slug || "workspace";
}
