import { describe, expect, it } from "vitest";
import { describeLiveProblem } from "./live-problem";

describe("describeLiveProblem", () => {
  it("says nothing while all is well", () => {
    expect(describeLiveProblem("connected", null)).toBeNull();
    expect(describeLiveProblem("connecting", null)).toBeNull();
    expect(describeLiveProblem("idle", null)).toBeNull();
  });

  it("an unreachable worker names the worker and SLUICE_WORKER_PUBLIC_URL, retrying by itself first", () => {
    const retrying = describeLiveProblem("reconnecting", "Live view unreachable (xhr poll error); retrying…");
    expect(retrying).toMatchObject({ tone: "warning", title: "Can't reach the worker's live endpoint", reconnect: false });
    expect(retrying?.fix).toContain("SLUICE_WORKER_PUBLIC_URL");
    expect(retrying?.fix).toContain("npx sluice worker");
    expect(describeLiveProblem("error", "Live view unreachable (timeout)")).toMatchObject({ tone: "error", reconnect: true });
  });

  it("a refused token points at the shared encryption key", () => {
    const p = describeLiveProblem(
      "error",
      "live view: the token is not valid (bad signature, issuer or audience) — ask for a new one",
    );
    expect(p?.title).toBe("The worker refused the live-view token");
    expect(p?.fix).toContain("SLUICE_ENCRYPTION_KEY");
  });

  it("token errors from the web app: signed out, deleted sync, anything else", () => {
    expect(describeLiveProblem("error", "Could not get a live-view token: Sign in to continue.")).toMatchObject({
      title: "You are signed out",
      reason: "Sign in to continue.",
      reconnect: false,
    });
    expect(describeLiveProblem("error", "Could not get a live-view token: No such sync in this workspace.")?.title).toBe(
      "This sync no longer exists",
    );
    expect(describeLiveProblem("error", "Could not get a live-view token: fetch failed")).toMatchObject({
      title: "The web app could not issue a live-view token",
      reconnect: true,
    });
  });

  it("repeated disconnects and unknown errors still say what to do", () => {
    expect(describeLiveProblem("error", "The live view keeps disconnecting; reload the page to try again.")?.fix).toContain(
      "WebSockets",
    );
    expect(describeLiveProblem("error", "something odd")).toMatchObject({ reason: "something odd", reconnect: true });
    expect(describeLiveProblem("reconnecting", null)).toMatchObject({ tone: "warning", reconnect: false });
  });
});
