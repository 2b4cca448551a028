// The widget API's device routes: a one-time code that carries a conversation from the chat page to the
// business's own site, and "Sign out other devices" (docs/reach.md "Devices, not bearer links").
import type { Response } from "express";
import type { Request } from "firebase-functions/https";
import { randomBytes } from "node:crypto";
import { clock } from "../../clock";
import {
  CreateHandoff,
  type CreateHandoffResult,
  RedeemHandoff,
  type RedeemHandoffResult,
  SignOutDevices,
  type SignOutDevicesResult,
} from "../../contract/widget";
import { HttpError, parseOr400 } from "../../http/errors";
import { requireVisitor } from "../../http/visitorAuth";
import { CodeInvalid, createHandoff, redeemHandoff, signOutOtherDevices } from "../../store/devices";
import { ThreadNotFound } from "../../store/threads";

/**
 * POST /handoff {threadId}: a one-time code that opens this thread in the widget on the business's own
 * site (the chat page's "Back to …" link). Only a device that may use the thread gets one; the code is
 * 32 random bytes, stored as a hash, single use, valid 10 minutes (store/devices.ts).
 */
export async function createHandoffCode(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(CreateHandoff, req.body);
  const now = await clock.now(body.threadId);
  const code = randomBytes(32).toString("base64url");
  try {
    const { expiresAt } = await createHandoff({ threadId: body.threadId, uid: visitor.uid, code, now });
    const answer: CreateHandoffResult = { code, expiresAt: expiresAt.toISOString() };
    res.status(201).json(answer);
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpError(404, "no such thread for this visitor");
    throw err;
  }
}

/**
 * POST /handoff/redeem {code}: the widget on the business's site (whose storage the hosting origin's
 * page cannot reach: browsers partition it) trades the code for this device's access to the thread.
 * Unknown, used and expired codes get the same 410: the answer says nothing about the thread.
 */
export async function redeemHandoffCode(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(RedeemHandoff, req.body);
  const now = await clock.now();
  try {
    const { threadId } = await redeemHandoff({ code: body.code, uid: visitor.uid, now });
    const answer: RedeemHandoffResult = { threadId };
    res.json(answer);
  } catch (err) {
    if (err instanceof CodeInvalid || err instanceof ThreadNotFound)
      throw new HttpError(
        410,
        "this code has expired or was already used; open the conversation from your email again",
        {
          code: "handoff_invalid",
        },
      );
    throw err;
  }
}

/** POST /devices/signout {threadId}: "Sign out other devices" on the chat page (docs/reach.md). */
export async function signOutDevices(req: Request, res: Response): Promise<void> {
  const visitor = await requireVisitor(req);
  const body = parseOr400(SignOutDevices, req.body);
  const now = await clock.now(body.threadId);
  try {
    const signedOut = await signOutOtherDevices({ threadId: body.threadId, uid: visitor.uid, now });
    const answer: SignOutDevicesResult = { ok: true, signedOut };
    res.json(answer);
  } catch (err) {
    if (err instanceof ThreadNotFound) throw new HttpError(404, "no such thread for this visitor");
    throw err;
  }
}
