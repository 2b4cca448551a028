// The console's heartbeat (docs/console.md): while the console is open and signed in, it stamps
// agents/{uid}/presence/console with the server's time every minute. Two missed beats and the
// agent counts as away, so a visitor's new message reaches them by email instead.
import { doc, serverTimestamp, setDoc } from "firebase/firestore";
import { backend, call } from "./backend";
import { HEARTBEAT_MS } from "../../../functions/src/domain/agentAlerts";
import { agentPresencePath } from "../../../functions/src/contract/paths";
import { $ } from "./dom";
import { onSessionChange, session } from "./session";

let timer: ReturnType<typeof setInterval> | undefined;
let uid = "";

function beat(): void {
  // A failed beat (offline) is simply missed: the next one, or the agent's absence, tells the truth.
  setDoc(doc(backend.db, agentPresencePath(uid)), { at: serverTimestamp() }).catch(() => undefined);
}

/** Background tabs run timers late: a tab shown again beats at once. */
function onVisible(): void {
  if (document.visibilityState === "visible") beat();
}

export function startPresence(signedInUid: string): void {
  stopPresence();
  uid = signedInUid;
  beat();
  timer = setInterval(beat, HEARTBEAT_MS);
  document.addEventListener("visibilitychange", onVisible);
  startAlertsToggle();
}

export function stopPresence(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
  document.removeEventListener("visibilitychange", onVisible);
  $("email-alerts-label").hidden = true;
}

/** The header's "Email me when away" box: this agent's own setting (agents/{uid}.emailWhenAway). */
function startAlertsToggle(): void {
  const label = $("email-alerts-label");
  const box = $<HTMLInputElement>("email-alerts");
  const show = () => {
    const me = session.agents.find((a) => a.uid === session.uid);
    // Only agents with a profile (invited) have an address the emails can go to.
    label.hidden = !me;
    if (me && !box.matches(":focus")) box.checked = me.emailWhenAway !== false;
  };
  box.onchange = async () => {
    box.disabled = true;
    try {
      await call("setEmailAlerts", { emailWhenAway: box.checked });
    } catch {
      box.checked = !box.checked;
    } finally {
      box.disabled = false;
    }
  };
  onSessionChange(show);
  show();
}
