// The checks, pure, on recorded answers: a good and a bad case for each.
import assert from "node:assert/strict";
import {
  checkApis,
  checkAuth,
  checkCredentials,
  checkPublicUrl,
  checkQueue,
  checkRuntimeRoles,
  checkSecret,
  checkTopic,
  errorFix,
  formatChecklist,
  queueName,
  requiredApis,
  runChecks,
  type Answer,
  type Answers,
} from "../checks";
import { answerOf, answersFrom, COMPUTE_SA, DECLARED, PROJECT, recording } from "./support";

const healthy = recording("healthy");
const broken = recording("broken");
const byName = <T extends { name: string }>(checks: T[], name: string): T => checks.find((c) => c.name === name)!;
const queue = (functionId: string) => DECLARED.queues.find((q) => q.functionId === functionId)!;
const queueAnswer = (rec = healthy, functionId = "sendFollowUp") =>
  answerOf(rec, "GET", `/v2/${queueName(PROJECT, queue(functionId))}`);

describe("doctor checks", () => {
  describe("credentials", () => {
    it("passes user credentials that carry a quota project, and service accounts without one", () => {
      assert.equal(checkCredentials({ kind: "user", quotaProject: PROJECT }, PROJECT).ok, true);
      assert.equal(checkCredentials({ kind: "service_account" }, PROJECT).ok, true);
    });

    it("fails user credentials without a quota project, with the gcloud command that sets one", () => {
      const c = checkCredentials({ kind: "user" }, PROJECT);
      assert.equal(c.ok, false);
      assert.equal(c.fix, "gcloud auth application-default set-quota-project afterchat-demo");
    });

    it("with no credentials at all, says to log in and checks nothing else", () => {
      const checks = runChecks(DECLARED, {
        ...answersFrom(healthy),
        credentials: { kind: "none", problem: "Could not load the default credentials." },
      });
      assert.deepEqual(
        checks.map((c) => [c.name, c.ok, c.fix]),
        [["credentials", false, "gcloud auth application-default login"]],
      );
    });
  });

  describe("APIs", () => {
    it("derives the list from the code: task queues bring cloudtasks, the sweep cloudscheduler, secrets secretmanager", () => {
      const apis = requiredApis(DECLARED);
      for (const api of [
        "cloudtasks.googleapis.com",
        "cloudscheduler.googleapis.com",
        "secretmanager.googleapis.com",
        "run.googleapis.com",
        "eventarc.googleapis.com",
      ]) {
        assert.ok(apis.includes(api), api);
      }
      const bare = requiredApis({ ...DECLARED, requiredApis: [], usesSecrets: false });
      assert.ok(!bare.includes("cloudtasks.googleapis.com") && !bare.includes("secretmanager.googleapis.com"));
    });

    it("passes when every needed API is enabled", () => {
      const c = checkApis(DECLARED, answersFrom(healthy).services, PROJECT);
      assert.deepEqual([c.ok, c.found], [true, "all 14 enabled"]);
    });

    it("names the disabled ones and enables them all in one command", () => {
      const c = checkApis(DECLARED, answersFrom(broken).services, PROJECT);
      assert.equal(c.ok, false);
      assert.match(c.found, /2 of 14 disabled: cloudscheduler\.googleapis\.com, firebaserules\.googleapis\.com/);
      assert.equal(
        c.fix,
        "gcloud services enable cloudscheduler.googleapis.com firebaserules.googleapis.com --project=afterchat-demo",
      );
    });
  });

  describe("Authentication", () => {
    it("passes Anonymous on, Email/Password on and sign-up open", () => {
      const checks = checkAuth(answersFrom(healthy).authConfig, PROJECT);
      assert.deepEqual(
        checks.map((c) => c.ok),
        [true, true, true],
      );
    });

    it("fails Anonymous off, and sign-up closed because anonymous sign-in is a sign-up", () => {
      const [anonymous, email, signup] = checkAuth(answersFrom(broken).authConfig, PROJECT);
      assert.equal(anonymous.ok, false);
      assert.match(anonymous.fix!, /updateMask=signIn\.anonymous\.enabled"$/);
      assert.match(anonymous.fix!, /-d '\{"signIn":\{"anonymous":\{"enabled":true\}\}\}'/);
      assert.equal(email.ok, true);
      assert.equal(signup.ok, false);
      assert.match(signup.found, /ADMIN_ONLY_OPERATION/);
      assert.match(signup.fix!, /updateMask=client\.permissions\.disabledUserSignup"$/);
      assert.match(signup.fix!, /"disabledUserSignup":false/);
    });

    it("fails Email/Password off (agents cannot sign in)", () => {
      const config = structuredClone((answersFrom(healthy).authConfig as { body: { signIn: { email: object } } }).body);
      config.signIn.email = {};
      const [, email] = checkAuth({ ok: true, body: config }, PROJECT);
      assert.equal(email.ok, false);
      assert.match(email.fix!, /updateMask=signIn\.email\.enabled,signIn\.email\.passwordRequired"$/);
    });
  });

  describe("task queues", () => {
    it("passes a queue with the code's retry config and rate limits (REST JSON)", () => {
      const c = checkQueue(queue("sendFollowUp"), queueAnswer(), PROJECT);
      assert.equal(c.ok, true, c.found);
      assert.match(c.found, /maxAttempts 5, maxBackoffSeconds 3600, minBackoffSeconds 60, maxConcurrentDispatches 20/);
    });

    it("reads the client library's form too: Duration objects and int enums", () => {
      const answer: Answer = {
        ok: true,
        body: {
          state: 1,
          retryConfig: {
            maxAttempts: 8,
            minBackoff: { seconds: "1", nanos: 0 },
            maxBackoff: { seconds: "300", nanos: 0 },
            maxDoublings: 8,
            maxRetryDuration: null,
          },
          rateLimits: { maxConcurrentDispatches: 20, maxDispatchesPerSecond: 500 },
        },
      };
      assert.equal(checkQueue(queue("bmDeliver"), answer, PROJECT).ok, true);
      const paused = { ok: true, body: { ...(answer as { body: object }).body, state: 2 } } as Answer;
      assert.match(checkQueue(queue("bmDeliver"), paused, PROJECT).found, /paused/);
    });

    it("a missing queue is fixed by deploying its function", () => {
      const c = checkQueue(queue("sendFollowUp"), queueAnswer(broken), PROJECT);
      assert.equal(c.ok, false);
      assert.equal(c.fix, "npx firebase deploy --only functions:sendFollowUp --project=afterchat-demo");
    });

    it("lists each setting that differs from the code", () => {
      const c = checkQueue(queue("continuityTask"), queueAnswer(broken, "continuityTask"), PROJECT);
      assert.equal(c.ok, false);
      assert.equal(
        c.found,
        "differs from the code: maxAttempts 3 (code: 6), maxBackoffSeconds 3600 (code: 1800), minBackoffSeconds 0.1 (code: 30)",
      );
      assert.equal(c.fix, "npx firebase deploy --only functions:continuityTask --project=afterchat-demo");
    });

    it("a paused queue is resumed; a disabled one redeployed", () => {
      const paused = checkQueue(queue("wakeSnoozed"), queueAnswer(broken, "wakeSnoozed"), PROJECT);
      assert.equal(
        paused.fix,
        "gcloud tasks queues resume wakeSnoozed --location=us-central1 --project=afterchat-demo",
      );
      const disabled = { ok: true, body: { ...(queueAnswer() as { body: object }).body, state: "DISABLED" } } as Answer;
      assert.match(
        checkQueue(queue("sendFollowUp"), disabled, PROJECT).fix!,
        /^npx firebase deploy --only functions:sendFollowUp/,
      );
    });
  });

  describe("runtime service account roles", () => {
    it("passes the default compute account with Editor (new projects) plus what deploy grants", () => {
      const checks = checkRuntimeRoles(DECLARED, answersFrom(healthy));
      assert.equal(checks.length, 8);
      assert.ok(checks.every((c) => c.ok && c.name.startsWith("123456789012-compute has ")));
    });

    it("passes explicit grants without Editor, actAs granted on the account itself", () => {
      const answers = answersFrom(healthy);
      const roles = [
        "datastore.user",
        "firebaseauth.admin",
        "cloudtasks.enqueuer",
        "cloudtasks.taskDeleter",
        "run.invoker",
        "eventarc.eventReceiver",
        "pubsub.publisher",
      ];
      answers.iamPolicy = {
        ok: true,
        body: { bindings: roles.map((r) => ({ role: `roles/${r}`, members: [`serviceAccount:${COMPUTE_SA}`] })) },
      };
      answers.serviceAccountPolicies[COMPUTE_SA] = {
        ok: true,
        body: { bindings: [{ role: "roles/iam.serviceAccountUser", members: [`serviceAccount:${COMPUTE_SA}`] }] },
      };
      const checks = checkRuntimeRoles(DECLARED, answers);
      assert.ok(
        checks.every((c) => c.ok),
        JSON.stringify(checks.filter((c) => !c.ok)),
      );
      assert.match(
        byName(checks, "123456789012-compute has roles/iam.serviceAccountUser").found,
        /on the account itself/,
      );
    });

    it("fails each missing role with its own grant; a conditional grant does not count", () => {
      const checks = checkRuntimeRoles(DECLARED, answersFrom(broken));
      const failing = checks.filter((c) => !c.ok).map((c) => c.name.replace("123456789012-compute has ", ""));
      assert.deepEqual(failing, [
        "roles/firebaseauth.admin",
        "roles/cloudtasks.taskDeleter",
        "roles/iam.serviceAccountUser",
        "roles/pubsub.publisher",
      ]);
      assert.equal(
        byName(checks, "123456789012-compute has roles/cloudtasks.taskDeleter").fix,
        `gcloud projects add-iam-policy-binding afterchat-demo --member=serviceAccount:${COMPUTE_SA} --role=roles/cloudtasks.taskDeleter --condition=None`,
      );
      assert.equal(
        byName(checks, "123456789012-compute has roles/iam.serviceAccountUser").fix,
        `gcloud iam service-accounts add-iam-policy-binding ${COMPUTE_SA} --member=serviceAccount:${COMPUTE_SA} --role=roles/iam.serviceAccountUser --project=afterchat-demo`,
      );
      assert.match(byName(checks, "123456789012-compute has roles/pubsub.publisher").found, /IAM condition/);
    });

    it("checks the account the code sets instead of the default one", () => {
      const sa = "afterchat-runtime@afterchat-demo.iam.gserviceaccount.com";
      const declared = { ...DECLARED, serviceAccounts: [sa] };
      const checks = checkRuntimeRoles(declared, answersFrom(healthy, declared));
      assert.ok(checks.every((c) => !c.ok && c.name.startsWith("afterchat-runtime has ")));
    });
  });

  describe("secrets", () => {
    it("passes a secret whose latest version is enabled", () => {
      const a = answersFrom(healthy);
      assert.equal(checkSecret("SMTP_URL", a.secrets.SMTP_URL, a.secretVersions.SMTP_URL, PROJECT).ok, true);
    });

    it("a missing secret, or one whose latest version is destroyed, is set again with firebase", () => {
      const a = answersFrom(broken);
      const missing = checkSecret("SMTP_URL", a.secrets.SMTP_URL, a.secretVersions.SMTP_URL, PROJECT);
      assert.deepEqual(
        [missing.ok, missing.fix],
        [false, "npx firebase functions:secrets:set SMTP_URL --project=afterchat-demo"],
      );
      const destroyed = checkSecret(
        "VAPID_PRIVATE_KEY",
        a.secrets.VAPID_PRIVATE_KEY,
        a.secretVersions.VAPID_PRIVATE_KEY,
        PROJECT,
      );
      assert.deepEqual([destroyed.ok, destroyed.found], [false, "latest version 2 is DESTROYED"]);
    });
  });

  describe("Pub/Sub topic", () => {
    it("passes an existing topic and creates a missing one", () => {
      assert.equal(checkTopic("afterchat-events", answersFrom(healthy).topics["afterchat-events"], PROJECT).ok, true);
      const c = checkTopic("afterchat-events", answersFrom(broken).topics["afterchat-events"], PROJECT);
      assert.deepEqual([c.ok, c.fix], [false, "gcloud pubsub topics create afterchat-events --project=afterchat-demo"]);
    });
  });

  describe("PUBLIC_URL", () => {
    const withUrl = (publicUrl: Answers["publicUrl"]) => checkPublicUrl({ ...answersFrom(healthy), publicUrl });

    it("passes an https site serving Afterchat's loader", () => {
      assert.equal(checkPublicUrl(answersFrom(healthy)).ok, true);
    });

    it("fails when unset or not https, with the line to put in functions/.env.<project>", () => {
      const unset = withUrl({});
      assert.deepEqual(
        [unset.ok, unset.fix],
        [false, "echo 'PUBLIC_URL=https://afterchat-demo.web.app' >> functions/.env.afterchat-demo"],
      );
      assert.match(withUrl({ url: "http://afterchat-demo.web.app", source: "--public-url" }).found, /not https/);
    });

    it("fails a 404, another page, or no answer, with a Hosting deploy", () => {
      const url = "https://afterchat-demo.web.app";
      const notFound = withUrl({ url, source: "--public-url", fetch: { ok: true, body: broken.widget } });
      assert.deepEqual(
        [notFound.ok, notFound.fix],
        [false, "npx firebase deploy --only hosting --project=afterchat-demo"],
      );
      const other = withUrl({
        url,
        source: "--public-url",
        fetch: { ok: true, body: { status: 200, contentType: "text/html", body: "<h1>Welcome</h1>" } },
      });
      assert.match(other.found, /not Afterchat's widget loader/);
      const down = withUrl({
        url,
        source: "--public-url",
        fetch: { ok: false, error: { status: 0, message: "ENOTFOUND" } },
      });
      assert.match(down.found, /ENOTFOUND/);
    });
  });

  describe("API errors", () => {
    it("maps each kind of refusal to the one command that fixes it", () => {
      const quota =
        "Your application is authenticating by using local Application Default Credentials. The serviceusage.googleapis.com API requires a quota project, which is not set by default.";
      assert.equal(
        errorFix(
          { status: 403, message: quota, reason: "SERVICE_DISABLED", service: "serviceusage.googleapis.com" },
          PROJECT,
        ),
        "gcloud auth application-default set-quota-project afterchat-demo",
      );
      assert.equal(
        errorFix(
          {
            status: 403,
            message: "Cloud Tasks API has not been used in project 123456789012 before or it is disabled.",
            reason: "SERVICE_DISABLED",
            service: "cloudtasks.googleapis.com",
          },
          PROJECT,
        ),
        "gcloud services enable cloudtasks.googleapis.com --project=afterchat-demo",
      );
      assert.equal(
        errorFix({ status: 401, message: "Request had invalid authentication credentials." }, PROJECT),
        "gcloud auth application-default login",
      );
      assert.match(
        errorFix({ status: 403, message: "The caller does not have permission" }, PROJECT),
        /--role=roles\/viewer$/,
      );
    });

    it("a check whose API refused says so and gives that fix", () => {
      const answers = answersFrom(healthy);
      answers.topics["afterchat-events"] = {
        ok: false,
        error: { status: 403, code: "PERMISSION_DENIED", message: "User not authorized to perform this action." },
      };
      const c = checkTopic("afterchat-events", answers.topics["afterchat-events"], PROJECT);
      assert.equal(c.found, "could not read it: 403 User not authorized to perform this action.");
      assert.match(
        c.fix!,
        /^gcloud projects add-iam-policy-binding afterchat-demo --member="user:\$\(gcloud config get-value account\)"/,
      );
    });
  });

  describe("checklist", () => {
    it("every failure has exactly one fix line, and the summary is not a test runner's", () => {
      const text = formatChecklist(runChecks(DECLARED, answersFrom(broken)));
      const lines = text.split("\n");
      lines.forEach((line, i) => {
        if (line.startsWith("✘")) assert.match(lines[i + 1], /^ {4}fix: \S/, line);
        if (line.startsWith("✔")) assert.doesNotMatch(lines[i + 1] ?? "", /^ {4}fix:/, line);
      });
      assert.equal(lines.at(-1), "14 of 24 checks fail.");
      assert.doesNotMatch(text, /^\d+ passed, \d+ failed/m);
    });

    it("a healthy project passes every check", () => {
      const checks = runChecks(DECLARED, answersFrom(healthy));
      assert.deepEqual(
        checks.filter((c) => !c.ok),
        [],
      );
      assert.equal(formatChecklist(checks).split("\n").at(-1), "All 24 checks pass.");
    });
  });
});
