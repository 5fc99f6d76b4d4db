// What the live debugger says when its connection is not well: the store's error sentence, turned into what
// went wrong and what to do about it. The browser connects straight to a worker (SLUICE_WORKER_PUBLIC_URL)
// with a token from the web app, so most failures are deployment settings the operator can fix.
import type { LiveConnection } from "@/lib/live/live-run-store";

export interface LiveProblem {
  /** "warning" while the connection retries by itself; "error" when it gave up. */
  tone: "warning" | "error";
  title: string;
  /** What to do, in words. */
  fix: string;
  /** The raw reason, for the curious and for bug reports. */
  reason: string | null;
  /** Offer a Reconnect button (the store stopped retrying). */
  reconnect: boolean;
}

const TOKEN_PREFIX = "Could not get a live-view token:";

export function describeLiveProblem(connection: LiveConnection, error: string | null): LiveProblem | null {
  if (connection === "connected" || connection === "idle" || connection === "connecting" || connection === "closed") {
    // A connected socket can still carry an error from a refused live:join.
    return connection === "connected" && error
      ? { tone: "warning", title: "The live view refused a refresh", fix: "Reload the page.", reason: error, reconnect: false }
      : null;
  }
  const gaveUp = connection === "error";
  const tone = gaveUp ? "error" : "warning";
  if (!error) {
    return {
      tone,
      title: gaveUp ? "The live view disconnected" : "Reconnecting to the live view…",
      fix: gaveUp ? "Reconnect, or reload the page." : "Counters resume from a fresh snapshot once it is back.",
      reason: null,
      reconnect: gaveUp,
    };
  }
  if (error.startsWith(TOKEN_PREFIX)) {
    const reason = error.slice(TOKEN_PREFIX.length).trim();
    if (/unauthori[sz]ed|sign in|session/i.test(reason)) {
      return {
        tone: "error",
        title: "You are signed out",
        fix: "Sign in again, then reopen this page.",
        reason,
        reconnect: false,
      };
    }
    if (/not found|no such sync/i.test(reason)) {
      return {
        tone: "error",
        title: "This sync no longer exists",
        fix: "It may have been deleted; go back to the syncs list.",
        reason,
        reconnect: false,
      };
    }
    return {
      tone: "error",
      title: "The web app could not issue a live-view token",
      fix: "Reconnect. If it keeps failing, check the web server's log and that SLUICE_ENCRYPTION_KEY is set.",
      reason,
      reconnect: true,
    };
  }
  if (/unreachable|xhr poll error|websocket error|timeout/i.test(error)) {
    return {
      tone,
      title: "Can't reach the worker's live endpoint",
      fix:
        "Your browser connects straight to a worker for the live view. Check that a worker is running (npm start runs one; " +
        "otherwise npx sluice worker) and that SLUICE_WORKER_PUBLIC_URL is an address this browser can reach " +
        "(by default this host on SLUICE_WORKER_PORT; behind TLS or a proxy, set it to the public https:// URL).",
      reason: error,
      reconnect: gaveUp,
    };
  }
  if (/token is not valid|bad signature|does not name/i.test(error)) {
    return {
      tone: "error",
      title: "The worker refused the live-view token",
      fix: "The web app and the workers must run with the same SLUICE_ENCRYPTION_KEY. Fix it and restart the worker, then reconnect.",
      reason: error,
      reconnect: true,
    };
  }
  if (/expired/i.test(error)) {
    return {
      tone: "error",
      title: "The live-view token expired",
      fix: "Reconnect to get a new one. If it happens right away, check that the web and worker machines' clocks agree.",
      reason: error,
      reconnect: true,
    };
  }
  if (/keeps disconnecting/i.test(error)) {
    return {
      tone: "error",
      title: "The live view keeps disconnecting",
      fix: "Reconnect. If it keeps happening, a proxy may be closing WebSockets: allow them, or make sessions sticky.",
      reason: error,
      reconnect: true,
    };
  }
  return { tone, title: "The live view has a problem", fix: "Reconnect, or reload the page.", reason: error, reconnect: gaveUp };
}
