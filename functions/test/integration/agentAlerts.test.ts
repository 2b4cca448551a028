// Agents hear of new messages by email (issue 14, docs/console.md): a visitor writes and an agent
// whose console is closed (no heartbeat for 2 minutes) gets one email; while the console is open
// (a fresh heartbeat) they get none. Each negative is shown by a later positive event that comes
// after it: another agent's email from the same trigger run, or the agent's own next email.
import { strict as assert } from "node:assert";
import { agentAlertTask } from "../../src/endpoints/agentAlertTask";
import { MINUTE_MS } from "../../src/domain/time";
import {
  adminDb,
  devClock,
  anonymousVisitor,
  callable,
  consoleUser,
  widgetSend,
  type SignedIn,
} from "../support/emulators";
import { mailTo, type CaughtMail } from "../support/reach";
import { runTask } from "../support/wrapped";
import { waitUntil } from "../support/wait";

type Agent = SignedIn & { email: string };

/** Profiles this file created: removed at its end, or every later visitor message would alert them too. */
const invited: string[] = [];

/** An agent as manageAgents' invite leaves them: a role and a profile with their address. */
async function invitedAgent(): Promise<Agent> {
  const agent = await consoleUser("agent");
  await adminDb().doc(`agents/${agent.uid}`).set({ email: agent.email, displayName: "Test agent", role: "agent" });
  invited.push(agent.uid);
  return agent;
}

/** The console's heartbeat, as the console writes it (the rules suite checks who may write it). */
const heartbeat = (uid: string, at = new Date()) => adminDb().doc(`agents/${uid}/presence/console`).set({ at });

const setClock = (offsetMs: number) => devClock(offsetMs ? { offsetMs } : { reset: true });

/** An agent's emails about one thread (the seed's sample threads may alert them too), with plain line feeds. */
async function mailsAbout(agent: Agent, threadId: string): Promise<CaughtMail[]> {
  return (await mailTo(agent.email))
    .filter((m) => m.text.includes(`/console/#/t/${threadId}`))
    .map((m) => ({ ...m, text: m.text.replace(/\r\n?/g, "\n") }));
}

/** Those emails once there are `count`. */
const mailsFor = (agent: Agent, threadId: string, count: number): Promise<CaughtMail[]> =>
  waitUntil(`${count} alert email(s) to ${agent.email}`, async () => {
    const mails = await mailsAbout(agent, threadId);
    return mails.length >= count ? mails : undefined;
  });

async function send(visitor: SignedIn, text: string): Promise<string> {
  const sent = await widgetSend(visitor, text);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return sent.body.threadId!;
}

describe("agent email alerts (emulators + local SMTP)", function () {
  this.timeout(300_000);
  afterEach(() => setClock(0));
  after(() => Promise.all(invited.splice(0).map((uid) => adminDb().doc(`agents/${uid}`).delete())));

  it("an agent whose console is closed gets one email: visitor's name, first lines escaped, channel, link to the thread", async () => {
    const agent = await invitedAgent(); // never opened the console: no heartbeat
    const text = 'Hi <b onclick="x()">there</b> & hello\nsecond line\nthird line\nfourth line';
    const threadId = await send(await anonymousVisitor(), text);
    const [mail, ...more] = await mailsFor(agent, threadId, 1);
    assert.equal(more.length, 0, "one email");
    const name = (await adminDb().doc(`threads/${threadId}`).get()).get("visitor.displayName") as string;
    assert.ok(name, "the thread has a visitor name");
    assert.equal(mail!.subject, `New message from ${name}`);
    const link = `http://127.0.0.1:5000/console/#/t/${threadId}`;
    assert.ok(mail!.text.includes(link), `the link to the thread: ${mail!.text}`);
    assert.ok(mail!.html.includes(`href="${link}"`));
    assert.ok(mail!.text.includes("Web chat"), "the channel");
    assert.ok(mail!.text.includes('Hi <b onclick="x()">there</b> & hello\nsecond line\nthird line\n…'));
    assert.ok(!mail!.text.includes("fourth line"), "only the first lines");
    assert.ok(mail!.html.includes("Hi &lt;b onclick=&quot;x()&quot;&gt;there&lt;/b&gt; &amp; hello"), mail!.html);
    assert.ok(!mail!.html.includes("<b onclick"), "no tag from the visitor reaches the HTML part");
  });

  it("none while the console is open, nor for an agent who turned them off; 15-minute batches", async () => {
    const open = await invitedAgent();
    const closed = await invitedAgent();
    const optedOut = await invitedAgent();
    await heartbeat(open.uid);
    const off = await callable("setEmailAlerts", { emailWhenAway: false }, optedOut.idToken);
    assert.equal(off.status, 200, JSON.stringify(off.error));
    const visitor = await anonymousVisitor();

    const threadId = await send(visitor, "First, while the console is open");
    // The same trigger run decides for all three: the closed console's email means it has run.
    const [first] = await mailsFor(closed, threadId, 1);
    assert.match(first!.text, /First, while the console is open/);
    assert.deepEqual(await mailsAbout(open, threadId), [], "no email while the console is open");
    assert.deepEqual(await mailTo(optedOut.email), [], "no email after opting out");
    for (const a of [open, optedOut])
      assert.equal((await adminDb().doc(`threads/${threadId}/agentAlerts/${a.uid}`).get()).exists, false);

    // The console stays open a while (it beats every minute), then closes: 3 minutes on, the agent is away.
    await heartbeat(open.uid);
    await setClock(3 * MINUTE_MS);
    await send(visitor, "Second, after the console closed");
    const [mail, ...more] = await mailsFor(open, threadId, 1);
    assert.equal(more.length, 0);
    assert.match(mail!.text, /Second, after the console closed/);
    assert.doesNotMatch(mail!.text, /First, while the console is open/, "the console showed the first one");

    // The closed console had an email 3 minutes ago: the second message waits for the 15 minutes' end.
    const state = await waitUntil("the closed console's next email planned", async () => {
      const data = (await adminDb().doc(`threads/${threadId}/agentAlerts/${closed.uid}`).get()).data();
      return data?.scheduledFor ? data : undefined;
    });
    const dueAt = state.scheduledFor.toDate() as Date;
    assert.equal(dueAt.getTime(), state.lastSentAt.toDate().getTime() + 15 * MINUTE_MS);
    await send(visitor, "Third, in the same 15 minutes");
    // The Tasks emulator dispatched the task at once (it ignores schedule times): it found itself early.
    await runTask(agentAlertTask, { threadId, uid: closed.uid, dueAt: dueAt.toISOString() });
    assert.equal((await mailsAbout(closed, threadId)).length, 1, "nothing before the 15 minutes are over");
    await setClock(dueAt.getTime() - Date.now() + 1000);
    await runTask(agentAlertTask, { threadId, uid: closed.uid, dueAt: dueAt.toISOString() });
    const [, batch, ...extra] = await mailsFor(closed, threadId, 2);
    assert.equal(extra.length, 0);
    assert.match(batch!.subject, /^2 new messages from /);
    assert.match(batch!.text, /Second, after the console closed[\s\S]*Third, in the same 15 minutes/);
    assert.doesNotMatch(batch!.text, /First/);
    assert.deepEqual(await mailTo(optedOut.email), [], "still none after opting out");
  });
});
