import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs, setDoc, Timestamp } from "firebase/firestore";
import { anonymousVisitor, PROJECT_ID, widgetSend } from "../support/emulators";

describe("widget rules: typing signal and rate-limit counters", function () {
  let rules: RulesTestEnvironment;
  before(async () => {
    rules = await initializeTestEnvironment({
      projectId: PROJECT_ID,
      firestore: { rules: readFileSync(`${__dirname}/../../../firestore.rules`, "utf8") },
    });
  });
  after(() => rules?.cleanup());

  it("agents write the typing signal; only the thread's visitor reads it; visitors never write it", async () => {
    const owner = await anonymousVisitor();
    const stranger = await anonymousVisitor();
    const { body } = await widgetSend(owner, "typing test");
    const path = `threads/${body.threadId}/typing/agent`;
    const agent = rules.authenticatedContext("agent-1", { role: "agent" }).firestore();
    // The name must be the agent's own, from agents/{uid} (issue 15).
    await rules.withSecurityRulesDisabled((ctx) =>
      setDoc(doc(ctx.firestore(), "agents/agent-1"), { displayName: "Minh", role: "agent" }),
    );
    await assertSucceeds(setDoc(doc(agent, path), { until: Timestamp.fromMillis(Date.now() + 6000), name: "Minh" }));
    await assertFails(setDoc(doc(agent, path), { until: Timestamp.now(), text: "leak" })); // only until + name
    await assertFails(setDoc(doc(agent, `threads/${body.threadId}/typing/visitor`), { until: Timestamp.now() }));
    await assertSucceeds(getDoc(doc(rules.authenticatedContext(owner.uid).firestore(), path)));
    await assertFails(getDoc(doc(rules.authenticatedContext(stranger.uid).firestore(), path)));
    await assertFails(setDoc(doc(rules.authenticatedContext(owner.uid).firestore(), path), { until: Timestamp.now() }));
  });

  it("rate-limit counters are invisible and unwritable to every client", async () => {
    const visitor = await anonymousVisitor();
    const asVisitor = rules.authenticatedContext(visitor.uid).firestore();
    const asAdmin = rules.authenticatedContext("admin-1", { role: "admin" }).firestore();
    await assertFails(getDocs(collection(asVisitor, "rateLimits")));
    await assertFails(getDocs(collection(asAdmin, "rateLimits")));
    await assertFails(setDoc(doc(asVisitor, "rateLimits/x"), { count: 0 }));
  });
});
