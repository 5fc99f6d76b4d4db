import { describe, expect, it } from "vitest";
import { FatalDestinationError } from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import { classifyShared, DAILY_LIMIT_WAIT_MS, describeError, parseError, rateLimitWait } from "./responses";

const response = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  truncated: false,
});
const limited = {
  status: "error",
  message: "You have reached your ten_secondly_rolling limit.",
  errorType: "RATE_LIMIT",
  policyName: "TEN_SECONDLY_ROLLING",
};
const call = { object: "contacts", method: "POST", url: "https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert" };

describe("rate limit waits", () => {
  it("honours Retry-After, capped at one window of the rolling limit", () => {
    expect(rateLimitWait(response(429, limited, { "retry-after": "3" })).ms).toBe(3_000);
    expect(
      rateLimitWait(response(429, limited, { "retry-after": "60", "x-hubspot-ratelimit-interval-milliseconds": "10000" })).ms,
    ).toBe(10_000);
  });

  it("without Retry-After: a full window when none is left, one request's share of it otherwise, else 10 s", () => {
    const headers = { "x-hubspot-ratelimit-interval-milliseconds": "10000", "x-hubspot-ratelimit-max": "190" };
    expect(rateLimitWait(response(429, limited, { ...headers, "x-hubspot-ratelimit-remaining": "0" })).ms).toBe(10_000);
    expect(rateLimitWait(response(429, limited, { ...headers, "x-hubspot-ratelimit-remaining": "12" })).ms).toBe(250);
    expect(rateLimitWait(response(429, limited)).ms).toBe(10_000);
  });

  it("the daily limit waits past the run's patience, naming the reset", () => {
    const daily = rateLimitWait(
      response(429, { ...limited, message: "You have reached your daily limit.", policyName: "DAILY" }),
    );
    expect(daily.ms).toBe(DAILY_LIMIT_WAIT_MS);
    expect(daily.reason).toMatch(/policy DAILY.*resets at midnight/);
  });

  it("423 and 477 are waits, 5xx retryable", () => {
    expect(classifyShared(response(423, ""), call)).toMatchObject({ status: "rate_limited", retryAfterMs: 2_000 });
    expect(classifyShared(response(477, "", { "retry-after": "120" }), call)).toMatchObject({
      status: "rate_limited",
      retryAfterMs: 120_000,
    });
    expect(classifyShared(response(502, "<html>bad gateway</html>"), call)).toMatchObject({ status: "retryable" });
    expect(classifyShared(response(207, {}), call)).toBeUndefined();
  });

  it("404 stops the run pointing at the base URL", () => {
    expect(() => classifyShared(response(404, { message: "not found" }), call)).toThrow(FatalDestinationError);
    expect(() => classifyShared(response(404, ""), call)).toThrow(/check the destination's baseUrl/);
  });
});

describe("error messages", () => {
  it("turns HubSpot's property validation JSON into something readable, with the category", () => {
    const body = {
      status: "error",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Email address x is invalid","error":"INVALID_EMAIL","name":"email"}]',
      correlationId: "c",
      category: "VALIDATION_ERROR",
    };
    expect(describeError(parseError(JSON.stringify(body)), "")).toBe(
      "property values were not valid — email: Email address x is invalid (INVALID_EMAIL) [VALIDATION_ERROR]",
    );
  });

  it("keeps the documented detail fields and copes with bodies that are not HubSpot's shape", () => {
    const body = {
      message: "Bad",
      errors: [{ message: "discount was not a valid number", code: "INVALID_INTEGER", in: "discount" }],
    };
    expect(describeError(parseError(JSON.stringify(body)), "")).toBe(
      "Bad — discount: discount was not a valid number (INVALID_INTEGER)",
    );
    expect(describeError(parseError("<html>oops</html>"), "<html>oops</html>")).toBe("<html>oops</html>");
  });
});
