// Retrying transient delivery failures inside one call: exponential backoff with full jitter
// (delay = random(0, min(cap, base·2^(n-1)))), Retry-After honoured (seconds or HTTP-date, RFC 9110 §10.2.3),
// and waits that an AbortSignal cuts short so a draining worker never sits out a backoff.

export interface RetryPolicy {
  /** Total attempts, the first one included (1 = no retry). */
  attempts: number;
  /** Backoff base: the first retry waits up to this long. */
  baseMs: number;
  /** Upper bound of one backoff wait. */
  capMs: number;
  /** A Retry-After longer than this is not waited out: the call gives up and the records are retried next run. */
  maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1); tests pin it. */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseMs: 500, capMs: 30_000, maxRetryAfterMs: 60_000 };

/** The wait before retry number `retry` (1 = the first retry), with full jitter. */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/**
 * Milliseconds to wait according to a Retry-After header value: delay-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"; a past date means 0). Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // "-5", "1.5": neither form
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The error an aborted wait rejects with: the signal's reason when it is an Error, else an AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === "string" ? reason : "The operation was aborted", "AbortError");
}

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What one attempt came to: a final value, or a transient failure worth another try. */
export type AttemptResult<T> = { kind: "done"; value: T } | { kind: "retry"; reason: string; retryAfterMs?: number };

export type RetryResult<T> =
  | { kind: "done"; value: T; attempts: number }
  | { kind: "exhausted"; reason: string; attempts: number };

/**
 * Calls `attempt` until it is done or the policy's attempts are spent. Between attempts it waits the
 * larger of the jittered backoff and the server's Retry-After. Errors thrown by `attempt` (fatal ones)
 * propagate at once; an abort during a wait rejects with the abort reason.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<AttemptResult<T>>,
  signal?: AbortSignal,
): Promise<RetryResult<T>> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs ?? Number.POSITIVE_INFINITY;
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw abortError(signal);
    const result = await attempt(n);
    if (result.kind === "done") return { kind: "done", value: result.value, attempts: n };
    if (n >= attempts) return { kind: "exhausted", reason: `${result.reason} (after ${n} attempts)`, attempts: n };
    if (result.retryAfterMs !== undefined && result.retryAfterMs > maxRetryAfterMs) {
      const seconds = Math.ceil(result.retryAfterMs / 1000);
      return {
        kind: "exhausted",
        reason: `${result.reason}; the destination asked to wait ${seconds} s, too long to wait now`,
        attempts: n,
      };
    }
    await sleep(Math.max(backoffDelayMs(policy, n), result.retryAfterMs ?? 0), signal);
  }
}
