// The agent console: sign-in, role check, then inbox / thread / settings / insights by URL hash.
import {
  GoogleAuthProvider,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signInWithPopup,
  signOut,
} from "firebase/auth";
import { getDocs } from "firebase/firestore";
import { call, connect, toQuery } from "./backend";
import { isLocal } from "../shared/firebase";
import { $, clear, h } from "./dom";
import { focusSelectedRow, inboxRenders, selectThread, startInbox, stopInbox } from "./inbox";
import { setOpenThread, startNotifications, stopNotifications } from "./notify";
import { inboxQuery } from "./queries";
import { startPresence, stopPresence } from "./presence";
import { startSession, stopSession, type Role } from "./session";
import { CONSOLE_ROLES } from "../../../functions/src/contract/roles";
import { hideSettings, showSettings } from "./settingsView";
import { closeThread, isThreadOpen, openThread } from "./threadView";

let signedIn = false;

async function main(): Promise<void> {
  const { auth } = await connect();
  $<HTMLFormElement>("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("status").textContent = "";
    try {
      await signInWithEmailAndPassword(auth, $<HTMLInputElement>("email").value, $<HTMLInputElement>("password").value);
    } catch {
      $("status").textContent = "Wrong email or password.";
    }
  });
  // Enabled only now: a submit before the listener would reload the page with the password in the URL.
  $<HTMLButtonElement>("sign-in-submit").disabled = false;
  // Google sign-in for deployed projects (enable the provider in the Firebase console); the role claim still decides.
  $("sign-in-google").hidden = isLocal();
  $("sign-in-google").addEventListener("click", () =>
    signInWithPopup(auth, new GoogleAuthProvider()).catch(
      () => ($("status").textContent = "Google sign-in did not complete."),
    ),
  );
  $("sign-out").addEventListener("click", () => void signOut(auth));
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isThreadOpen() && !(event.target as HTMLElement).closest?.(".composer")) {
      location.hash = "#/inbox";
      focusSelectedRow();
    }
  });
  onAuthStateChanged(auth, async (user) => {
    stopAll();
    $("sign-in").hidden = Boolean(user);
    $("sign-out").hidden = !user;
    if (!user) {
      $("who").textContent = "";
      return;
    }
    const role = (await user.getIdTokenResult()).claims.role;
    $("who").textContent = `Signed in as ${user.email} (role: ${String(role ?? "none")})`;
    if (!CONSOLE_ROLES.includes(role as Role)) return showNoAccess();
    signedIn = true;
    startSession({ uid: user.uid, email: user.email ?? "", role: role as Role });
    $("nav").hidden = false;
    $("nav-settings").hidden = role !== "admin";
    startInbox();
    startNotifications();
    startPresence(user.uid);
    route();
  });
}

/** A user without a role: the rules give them nothing, and we say so instead of showing an empty inbox. */
async function showNoAccess(): Promise<void> {
  const notice = $("no-access");
  notice.hidden = false;
  notice.textContent =
    "Your account has no role in this console, so there is nothing to show. Ask an admin to invite you as an agent.";
  try {
    await getDocs(toQuery(inboxQuery({ status: "open", assignee: "all" }, "", 1)));
  } catch (err) {
    if ((err as { code?: string }).code === "permission-denied")
      notice.textContent += " (The server denied access to conversations.)";
  }
}

function stopAll(): void {
  signedIn = false;
  closeThread();
  stopInbox();
  stopNotifications();
  stopPresence();
  hideSettings();
  stopSession();
  $("nav").hidden = true;
  $("workspace").hidden = true;
  $("settings-pane").hidden = true;
  $("insights-pane").hidden = true;
  void leaveInsights();
  $("no-access").hidden = true;
}

type InsightsView = typeof import("./insightsView");
let insightsView: Promise<InsightsView> | undefined;

/** Insights and its chart library are a chunk of their own, fetched the first time it is opened. */
async function openInsights(): Promise<void> {
  const pane = $("insights-pane");
  if (!insightsView) pane.textContent = "Loading Insights…";
  insightsView ??= import("./insightsView");
  try {
    await (await insightsView).showInsights(pane, { call, h, clear });
  } catch (err) {
    insightsView = undefined; // a failed chunk fetch is tried again next time
    pane.textContent = "Insights could not be loaded. Please reload.";
    console.error(err);
  }
}

async function leaveInsights(): Promise<void> {
  if (insightsView) (await insightsView.catch(() => undefined))?.hideInsights();
}

function route(): void {
  if (!signedIn) return;
  const hash = location.hash;
  const onSettings = hash === "#/settings";
  const onInsights = hash === "#/insights";
  $("settings-pane").hidden = !onSettings;
  $("insights-pane").hidden = !onInsights;
  $("workspace").hidden = onSettings || onInsights;
  if (!onInsights) void leaveInsights();
  if (onSettings || onInsights) closeThread();
  if (onSettings) return showSettings();
  hideSettings();
  if (onInsights) return void openInsights();
  const match = /^#\/t\/(.+)$/.exec(hash);
  const threadId = match ? decodeURIComponent(match[1]) : undefined;
  document.body.classList.toggle("has-thread", Boolean(threadId));
  selectThread(threadId);
  setOpenThread(threadId);
  if (threadId) {
    openThread(threadId);
    (document.getElementById("thread-title") as HTMLElement | null)?.focus({ preventScroll: true });
  } else closeThread();
}

// Read by the browser benchmark, locally only.
if (isLocal()) (window as unknown as { afterchat: unknown }).afterchat = { inboxRenders };

main().catch((err: unknown) => {
  $("status").textContent = "The console could not start. Please reload.";
  console.error(err);
});
