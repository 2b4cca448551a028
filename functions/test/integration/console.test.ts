import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import {
  adminAuth,
  adminDb,
  anonymousVisitor,
  callable,
  consoleUser,
  passwordSignIn,
  passwordSignUp,
  refreshedClaims,
  uniqueId,
  widgetSend,
} from "../support/emulators";

import { waitUntil } from "../support/wait";

const ROOT = `${__dirname}/../../..`;

describe("console callables", function () {
  describe("addNote", () => {
    it("stores an internal note once per client id, with its author", async () => {
      const agent = await consoleUser("agent");
      const sent = await widgetSend(await anonymousVisitor(), "Can I pick up at 7?");
      const threadId = sent.body.threadId!;
      const clientNoteId = uniqueId("note");
      const first = await callable<{ noteId: string; duplicate: boolean }>(
        "addNote",
        { threadId, text: "VIP customer", clientNoteId },
        agent.idToken,
      );
      assert.equal(first.status, 200, JSON.stringify(first.error));
      const again = await callable<{ noteId: string; duplicate: boolean }>(
        "addNote",
        { threadId, text: "VIP customer", clientNoteId },
        agent.idToken,
      );
      assert.equal(again.result?.duplicate, true);
      const notes = await adminDb().collection(`threads/${threadId}/notes`).get();
      assert.equal(notes.size, 1);
      assert.equal(notes.docs[0].get("text"), "VIP customer");
      assert.equal(notes.docs[0].get("authorUid"), agent.uid);
      const messages = await adminDb().collection(`threads/${threadId}/messages`).get();
      assert.deepEqual(
        messages.docs.map((d) => d.get("text")),
        ["Can I pick up at 7?"],
        "a note is never a message",
      );
    });

    it("refuses users without a role, unknown threads and empty notes", async () => {
      const noRole = await consoleUser(null);
      const agent = await consoleUser("agent");
      const denied = await callable(
        "addNote",
        { threadId: "t1", text: "x", clientNoteId: uniqueId("note") },
        noRole.idToken,
      );
      assert.equal(denied.error?.status, "PERMISSION_DENIED");
      const missing = await callable(
        "addNote",
        { threadId: uniqueId("nothread"), text: "x", clientNoteId: uniqueId("note") },
        agent.idToken,
      );
      assert.equal(missing.error?.status, "NOT_FOUND");
      const empty = await callable(
        "addNote",
        { threadId: "t1", text: "   ", clientNoteId: uniqueId("note") },
        agent.idToken,
      );
      assert.equal(empty.error?.status, "INVALID_ARGUMENT");
    });
  });

  describe("updateSettings", () => {
    let original: FirebaseFirestore.DocumentData | undefined;
    before(async () => {
      original = (await adminDb().doc("settings/business").get()).data();
    });
    after(async () => {
      if (original) await adminDb().doc("settings/business").set(original);
    });

    it("lets an admin save validated settings with canned replies, and nobody else", async () => {
      const admin = await consoleUser("admin");
      const agent = await consoleUser("agent");
      const value = {
        ...original,
        name: "Sunset Bakery",
        cannedReplies: [{ shortcut: "hours", text: "We open at 7." }],
      };
      const byAgent = await callable("updateSettings", value, agent.idToken);
      assert.equal(byAgent.error?.status, "PERMISSION_DENIED");
      const saved = await callable("updateSettings", value, admin.idToken);
      assert.equal(saved.status, 200, JSON.stringify(saved.error));
      const stored = (await adminDb().doc("settings/business").get()).data()!;
      assert.equal(stored.name, "Sunset Bakery");
      assert.deepEqual(stored.cannedReplies, [{ shortcut: "hours", text: "We open at 7." }]);
      assert.deepEqual(stored.allowedOrigins, original?.allowedOrigins);
    });

    it("rejects malformed settings and changes nothing", async () => {
      const admin = await consoleUser("admin");
      const before = (await adminDb().doc("settings/business").get()).data();
      for (const bad of [
        { ...original, allowedOrigins: ["javascript:alert(1)"] },
        { ...original, cannedReplies: [{ shortcut: "Has Space", text: "x" }] },
        {
          ...original,
          cannedReplies: [
            { shortcut: "a", text: "x" },
            { shortcut: "a", text: "y" },
          ],
        },
        { ...original, hours: { timeZone: "Mars/Olympus", days: original?.hours?.days } },
        { ...original, name: "" },
      ]) {
        const r = await callable("updateSettings", bad, admin.idToken);
        assert.equal(r.error?.status, "INVALID_ARGUMENT", JSON.stringify(bad));
      }
      assert.deepEqual((await adminDb().doc("settings/business").get()).data(), before);
    });
  });

  describe("manageAgents", () => {
    // Agents these tests leave are removed at the end: each away agent gets an alert task for every
    // later visitor message in the suite.
    const agentsLeft: string[] = [];
    after(() => Promise.all(agentsLeft.splice(0).map((uid) => adminDb().doc(`agents/${uid}`).delete())));

    it("invites an agent, promotes them, and removes them (claims and the agents list follow)", async () => {
      const admin = await consoleUser("admin");
      const email = `${uniqueId("invited")}@example.com`;
      const invited = await callable<{ uid: string; created: boolean; link: string }>(
        "manageAgents",
        { action: "invite", email, role: "agent" },
        admin.idToken,
      );
      assert.equal(invited.status, 200, JSON.stringify(invited.error));
      const uid = invited.result!.uid;
      assert.equal(invited.result!.created, true);
      assert.match(invited.result!.link, /^https?:\/\//);
      assert.equal((await adminAuth().getUser(uid)).customClaims?.role, "agent");
      assert.equal((await adminDb().doc(`agents/${uid}`).get()).get("role"), "agent");

      const promoted = await callable("manageAgents", { action: "setRole", uid, role: "admin" }, admin.idToken);
      assert.equal(promoted.status, 200, JSON.stringify(promoted.error));
      assert.equal((await adminAuth().getUser(uid)).customClaims?.role, "admin");

      const removed = await callable("manageAgents", { action: "remove", uid }, admin.idToken);
      assert.equal(removed.status, 200, JSON.stringify(removed.error));
      assert.equal((await adminAuth().getUser(uid)).customClaims?.role, undefined);
      assert.equal((await adminDb().doc(`agents/${uid}`).get()).exists, false);
    });

    it("never gives the role to an outsider who registered the invitee's address first", async () => {
      const admin = await consoleUser("admin");
      const email = `${uniqueId("future-agent")}@example.com`;
      const outsider = await passwordSignUp(email, "outsider-password");
      const invited = await callable<{ uid: string; created: boolean; replaced?: boolean }>(
        "manageAgents",
        { action: "invite", email, role: "agent" },
        admin.idToken,
      );
      assert.equal(invited.status, 200, JSON.stringify(invited.error));
      agentsLeft.push(invited.result!.uid);
      assert.notEqual(invited.result!.uid, outsider.uid, "the outsider's account is not the agent's");
      assert.equal(invited.result!.created, true);
      assert.equal(invited.result!.replaced, true);
      assert.equal(await passwordSignIn(email, "outsider-password"), undefined, "the outsider's password is gone");
      const claims = await refreshedClaims(outsider.refreshToken);
      assert.equal(claims?.role, undefined, "the outsider's session never carries the role");
      assert.equal((await adminDb().doc(`agents/${outsider.uid}`).get()).exists, false);
      const agent = await adminAuth().getUser(invited.result!.uid);
      assert.equal(agent.customClaims?.role, "agent");
      assert.equal(agent.providerData.length, 0, "no password until the invitee sets one through the link");
      // Nor can an admin promote the outsider's kind of account by uid.
      const stranger = await passwordSignUp(`${uniqueId("stranger")}@example.com`, "stranger-password");
      const promoted = await callable(
        "manageAgents",
        { action: "setRole", uid: stranger.uid, role: "admin" },
        admin.idToken,
      );
      assert.equal(promoted.error?.status, "FAILED_PRECONDITION");
      assert.equal((await adminAuth().getUser(stranger.uid)).customClaims?.role, undefined);
    });

    it("gives the role to a verified account and ends its earlier sessions", async () => {
      const admin = await consoleUser("admin");
      const email = `${uniqueId("verified")}@example.com`;
      const person = await passwordSignUp(email, "own-password");
      await adminAuth().updateUser(person.uid, { emailVerified: true });
      // Revocation has a one-second grain (auth_time vs tokensValidAfterTime): let the session's second pass.
      const authTime = (await adminAuth().verifyIdToken(person.idToken)).auth_time;
      await waitUntil("the clock to pass the session's second", () =>
        Math.floor(Date.now() / 1000) > authTime ? true : undefined,
      );
      const invited = await callable<{ uid: string; replaced?: boolean }>(
        "manageAgents",
        { action: "invite", email, role: "agent" },
        admin.idToken,
      );
      assert.equal(invited.status, 200, JSON.stringify(invited.error));
      agentsLeft.push(invited.result!.uid);
      assert.equal(invited.result!.uid, person.uid);
      assert.equal(invited.result!.replaced, false);
      await assert.rejects(
        adminAuth().verifyIdToken(person.idToken, true),
        (err: { code?: string }) => err.code === "auth/id-token-revoked",
        "the session from before the grant is revoked",
      );
      assert.equal((await passwordSignIn(email, "own-password"))?.uid, person.uid);
      assert.equal((await adminAuth().getUser(person.uid)).customClaims?.role, "agent");
    });

    it("refuses agents, self-demotion, unknown users and bad input", async () => {
      const admin = await consoleUser("admin");
      const agent = await consoleUser("agent");
      const byAgent = await callable(
        "manageAgents",
        { action: "setRole", uid: agent.uid, role: "admin" },
        agent.idToken,
      );
      assert.equal(byAgent.error?.status, "PERMISSION_DENIED");
      assert.equal((await adminAuth().getUser(agent.uid)).customClaims?.role, "agent");
      const self = await callable("manageAgents", { action: "remove", uid: admin.uid }, admin.idToken);
      assert.equal(self.error?.status, "FAILED_PRECONDITION");
      const unknown = await callable(
        "manageAgents",
        { action: "setRole", uid: uniqueId("ghost"), role: "agent" },
        admin.idToken,
      );
      assert.equal(unknown.error?.status, "NOT_FOUND");
      const bad = await callable(
        "manageAgents",
        { action: "invite", email: "not-an-email", role: "agent" },
        admin.idToken,
      );
      assert.equal(bad.error?.status, "INVALID_ARGUMENT");
      const badRole = await callable(
        "manageAgents",
        { action: "setRole", uid: agent.uid, role: "owner" },
        admin.idToken,
      );
      assert.equal(badRole.error?.status, "INVALID_ARGUMENT");
    });
  });

  describe("admin:create bootstrap (tools/admin-create.mjs)", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [`${ROOT}/tools/admin-create.mjs`, ...args], { encoding: "utf8", cwd: ROOT });
    // The admins made here are removed at the end, as in manageAgents above.
    const adminsMade: string[] = [];
    after(() => Promise.all(adminsMade.splice(0).map((uid) => adminDb().doc(`agents/${uid}`).delete())));

    it("refuses when an admin exists, unless forced; then the account carries the admin claim", async () => {
      const email = `${uniqueId("owner")}@example.com`;
      const refused = run(email, "--emulator");
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, /already has an admin/);
      await assert.rejects(adminAuth().getUserByEmail(email), "nothing was created");

      const forced = run(email, "--emulator", "--force");
      assert.equal(forced.status, 0, forced.stderr);
      const user = await adminAuth().getUserByEmail(email);
      adminsMade.push(user.uid);
      assert.equal(user.customClaims?.role, "admin");
      assert.equal((await adminDb().doc(`agents/${user.uid}`).get()).get("role"), "admin");
    });

    it("replaces an outsider's unverified account instead of making it an admin", async () => {
      const email = `${uniqueId("owner")}@example.com`;
      const outsider = await passwordSignUp(email, "outsider-password");
      const forced = run(email, "--emulator", "--force");
      assert.equal(forced.status, 0, forced.stderr);
      assert.match(forced.stdout, /replaced/);
      const user = await adminAuth().getUserByEmail(email);
      adminsMade.push(user.uid);
      assert.notEqual(user.uid, outsider.uid);
      assert.equal(user.customClaims?.role, "admin");
      assert.equal(await passwordSignIn(email, "outsider-password"), undefined);
      assert.equal((await refreshedClaims(outsider.refreshToken))?.role, undefined);
      assert.equal((await adminDb().doc(`agents/${outsider.uid}`).get()).exists, false);
    });

    it("needs a project and a valid email, and never treats a demo project as real", () => {
      assert.equal(run("someone@example.com").status, 2);
      assert.equal(run("not-an-email", "--emulator").status, 2);
      assert.equal(run("someone@example.com", "--project", "demo-afterchat").status, 2);
    });
  });
});
