// The demo destination's receiving end: the webhook connector POSTs batches here (see packages/core/src/demo).
import { receiveDemoBatch } from "@sluice/core/demo/receive-demo-batch";
import { errorResponse, toErrorResponse } from "@/server/rest/errors";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function POST(req: Request, { params }: { params: Promise<{ destinationId: string }> }) {
  const s = services();
  try {
    const { destinationId } = await params;
    const raw = await req.text();
    if (raw.length > MAX_BODY_BYTES) return errorResponse("BAD_REQUEST", "Batch too large (over 5 MB).");
    // The raw text, not parsed JSON: the signature is an HMAC over the exact bytes sent.
    const result = await receiveDemoBatch(s, { destinationId, body: raw, signature: req.headers.get("x-sluice-signature") });
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    return toErrorResponse(error, s.log, "POST /api/demo-inbox");
  }
}
