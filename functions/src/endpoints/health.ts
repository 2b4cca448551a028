import { onRequest } from "firebase-functions/https";
import { REGION } from "../config";

/** Liveness probe; `npm start` waits for it before it says the stack is ready. */
export const health = onRequest({ region: REGION }, (_req, res) => {
  res.json({ ok: true, service: "afterchat" });
});
