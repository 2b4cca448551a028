import { onRequest } from "firebase-functions/https";
import { clock } from "../clock";
import { BM_CLIENT_TOKEN, REGION } from "../config";
import { handleBmEvent } from "../channels/businessMessages/inbound";
import { decideWebhook } from "../channels/businessMessages/webhook";
import { channelPolicies } from "../domain/channels";
import { logs } from "../logs";
import { getBusinessSettings } from "../store/settings";
import { recordBmUnhandled } from "../store/bm";
import { hashId } from "../domain/ids";
import { createHash } from "node:crypto";

/**
 * POST /api/bm/webhook: Google's Business Messages webhook (handshake, then signed user messages,
 * receipts, typing, surveys...). One transaction per request, then 200 — Google retries anything else.
 * A signed body we cannot act on is 200 too (kept in bmUnhandled): Google penalises agents that refuse.
 */
export const bmWebhook = onRequest(
  { region: REGION, secrets: [BM_CLIENT_TOKEN], concurrency: 80 },
  async (req, res) => {
    const length = Number(req.get("content-length"));
    const decision = decideWebhook({
      method: req.method,
      rawBody: req.rawBody ?? Buffer.alloc(0),
      contentLength: Number.isFinite(length) ? length : undefined,
      signature: req.get("x-goog-signature"),
      clientToken: BM_CLIENT_TOKEN.value(),
    });
    if (decision.action === "reply") {
      logs.requestRejected("bmWebhook", decision.status, decision.reason);
      if (decision.status === 405) res.set("allow", "POST");
      res.status(decision.status).json({ error: decision.reason });
      return;
    }
    if (decision.action === "handshake") {
      logs.bmHandshake(true);
      res.status(200).type("text/plain").send(decision.secret);
      return;
    }
    if (decision.truncated.length) logs.bmFieldsTruncated(decision.truncated);
    try {
      const now = await clock.now();
      if (decision.action === "unhandled") {
        const u = decision.unhandled;
        // A redelivery of the same body (same requestId, or same bytes without one) is kept once.
        const key =
          u.requestId ??
          createHash("sha256")
            .update(req.rawBody ?? "")
            .digest("hex");
        const r = await recordBmUnhandled(
          hashId("bm-unhandled", key),
          { ...u, body: (req.rawBody ?? Buffer.alloc(0)).toString("utf8") },
          now,
        );
        logs.bmWebhookUnhandled(u.kinds, u.reason, !r.duplicate);
        res.status(200).json({ outcome: r.duplicate ? "duplicate" : "unhandled", reason: u.reason });
        return;
      }
      const settings = await getBusinessSettings(now.getTime());
      const result = await handleBmEvent(decision.envelope, decision.payload, now, channelPolicies(settings));
      logs.bmWebhookHandled(result.threadId, decision.payload.kind, result.outcome);
      res.status(200).json({ kind: decision.payload.kind, outcome: result.outcome, threadId: result.threadId });
    } catch (err) {
      // 500 makes Google store and retry the request (for up to 7 days): nothing is lost.
      logs.unexpectedError("bmWebhook", err);
      res.status(500).json({ error: "internal error" });
    }
  },
);
