// Where the demo destination lives: a webhook whose URL is the web app's own `/api/demo-inbox/<id>` route.
// The route is public (the worker posts to it like any webhook receiver), so each demo destination gets
// a signing secret and the route accepts only signed batches.

export const DEMO_INBOX_PATH_PREFIX = "/api/demo-inbox/";
/** Records kept per demo destination; older ones are trimmed as new batches arrive. */
export const DEMO_INBOX_LIMIT = 10_000;

export function demoInboxUrl(publicUrl: string, destinationId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${DEMO_INBOX_PATH_PREFIX}${encodeURIComponent(destinationId)}`;
}

/**
 * True when a webhook URL points at the demo inbox of `destinationId`. Only the path is compared: the
 * public URL (host, port, scheme) can change between starts without the destination becoming foreign.
 */
export function isDemoInboxUrl(url: unknown, destinationId: string): boolean {
  if (typeof url !== "string") return false;
  try {
    const path = new URL(url).pathname.replace(/\/+$/, "");
    return path.endsWith(`${DEMO_INBOX_PATH_PREFIX}${encodeURIComponent(destinationId)}`);
  } catch {
    return false;
  }
}
