import type { Request } from "firebase-functions/https";
import { db } from "../store/db";
import { HttpError } from "./errors";

export interface VisitorIdentity {
  uid: string;
}

/** The widget calls the API with the visitor's own Firebase ID token (anonymous or resumed). */
export async function requireVisitor(req: Request): Promise<VisitorIdentity> {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  if (!match) throw new HttpError(401, "sign-in required");
  db(); // initializes the admin app
  try {
    // Loaded on first use to keep the widget API's cold start small.
    const { getAuth } = await import("firebase-admin/auth");
    const token = await getAuth().verifyIdToken(match[1]);
    return { uid: token.uid };
  } catch {
    throw new HttpError(401, "invalid or expired sign-in");
  }
}
