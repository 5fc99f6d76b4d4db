// The per-account rate budget shared by every worker process (DESIGN.md "Delivery"): one token bucket per
// destination account in the control-plane table `rate_budget`, so syncs on different workers writing to
// the same HubSpot portal, say, together stay under its documented limit.
//
// Each take is ONE atomic statement that reserves the next token: INSERT … ON CONFLICT DO UPDATE refills
// the bucket continuously from clock_timestamp() (at most one token: no burst, see tokensPerMs), takes a
// token even when the balance goes negative, and returns how long the caller must wait for the token it
// took (0 when one was there). A negative balance is a queue of reserved slots, paced at the account's
// rate. The caller then sleeps and starts: one round trip per request, whatever the contention, and
// workers are served in the order they asked (no retry storms, no starvation). We chose this over
// leasing slices of tokens to each worker: a lease held by a busy worker is budget another cannot use,
// and at the documented rates (tens of requests per second) one short statement per request is cheap.
//
// block() (a 429 with Retry-After) moves the bucket's next grant to after the block for every worker;
// tokens already reserved by then are not recalled (their requests may meet one more 429, which the
// kit waits out).
import type { RateLimit } from "@sluice/connectors/kit/contract";
import { abortError, sleep } from "@sluice/connectors/kit/retry";
import { type RateBudget, tokensPerMs } from "@sluice/connectors/kit/throttle";
import type { Db } from "@sluice/db";

export class SharedRateBudget implements RateBudget {
  constructor(private readonly db: Db) {}

  async take(account: string, limit: RateLimit, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    const { waitMs } = await this.reserve(account, limit);
    if (waitMs > 0) await sleep(waitMs, signal);
  }

  async block(account: string, untilMs: number): Promise<void> {
    const until = new Date(untilMs);
    await this.db.$executeRaw`
      insert into rate_budget as b (account, tokens, "refilledAt", "blockedUntil")
      values (${account}, 0, date_trunc('milliseconds', clock_timestamp()), ${until}::timestamptz(3))
      on conflict (account) do update
        set "blockedUntil" = greatest(b."blockedUntil", excluded."blockedUntil")`;
  }

  /**
   * Takes one token of `account`: the instant it may be used (by the database's clock) and the milliseconds
   * until then. The balance is refilled up to the moment the token is taken — now, or the end of a block, or
   * the last reservation's instant when that is later — and the bucket's clock moves there. `refilledAt` is
   * truncated to the column's millisecond precision so the balance and the clock always agree.
   */
  async reserve(account: string, limit: RateLimit): Promise<{ at: Date; waitMs: number }> {
    const ratePerMs = tokensPerMs(limit);
    const rows = await this.db.$queryRaw<{ at: Date; wait_ms: number }[]>`
      insert into rate_budget as b (account, tokens, "refilledAt", "blockedUntil")
      values (${account}, 0, date_trunc('milliseconds', clock_timestamp()), null)
      on conflict (account) do update
        set tokens = least(
              1,
              b.tokens + ${ratePerMs}::float8 * 1000 * extract(epoch from
                greatest(b."refilledAt", excluded."refilledAt", b."blockedUntil") - b."refilledAt")::float8
            ) - 1,
            "refilledAt" = greatest(b."refilledAt", excluded."refilledAt", b."blockedUntil")
      returning
        b."refilledAt" + make_interval(secs => greatest(0, -b.tokens) / ${ratePerMs}::float8 / 1000) as at,
        (1000 * extract(epoch from b."refilledAt" - clock_timestamp())::float8
          + greatest(0, -b.tokens) / ${ratePerMs}::float8)::float8 as wait_ms`;
    const row = rows[0];
    if (!row) throw new Error(`the rate budget of ${account} returned no row`);
    return { at: row.at, waitMs: Math.max(0, Math.ceil(row.wait_ms)) };
  }
}
