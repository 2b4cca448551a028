// Reading what the code declares: from `__endpoint` as firebase-functions writes it, and PUBLIC_URL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { declaredFrom, publicUrlOf } from "../manifest";

/** Shaped like firebase-functions 7's __endpoint (nulls for what the code left unset). */
const taskQueue = (retryConfig: object, extra: object = {}) => ({
  __endpoint: {
    platform: "gcfv2",
    region: ["us-central1"],
    serviceAccountEmail: null,
    taskQueueTrigger: { retryConfig, rateLimits: { maxConcurrentDispatches: 20, maxDispatchesPerSecond: null } },
    ...extra,
  },
  __requiredAPIs: [{ api: "cloudtasks.googleapis.com", reason: "Needed for task queue functions" }],
});

describe("doctor manifest", () => {
  it("reads queues, secrets, topics and required APIs from the exports, not from a list", () => {
    const declared = declaredFrom({
      sendFollowUp: taskQueue({
        maxAttempts: 5,
        minBackoffSeconds: 60,
        maxBackoffSeconds: 3600,
        maxDoublings: null,
        maxRetrySeconds: null,
      }),
      eventsWebhook: {
        __endpoint: {
          platform: "gcfv2",
          region: ["us-central1"],
          secretEnvironmentVariables: [{ key: "EVENTS_WEBHOOK_SECRET" }],
          eventTrigger: {
            eventType: "google.cloud.pubsub.topic.v1.messagePublished",
            eventFilters: { topic: "afterchat-events" },
            retry: true,
          },
        },
      },
      group: {
        nested: taskQueue(
          { maxAttempts: 2 },
          { region: ["europe-west1"], secretEnvironmentVariables: [{ key: "EVENTS_WEBHOOK_SECRET" }] },
        ),
      },
      REGION: "us-central1",
    });
    assert.deepEqual(declared.queues, [
      {
        functionId: "sendFollowUp",
        region: "us-central1",
        retryConfig: { maxAttempts: 5, minBackoffSeconds: 60, maxBackoffSeconds: 3600 },
        rateLimits: { maxConcurrentDispatches: 20 },
      },
      {
        functionId: "group-nested",
        region: "europe-west1",
        retryConfig: { maxAttempts: 2 },
        rateLimits: { maxConcurrentDispatches: 20 },
      },
    ]);
    assert.deepEqual(declared.secrets, ["EVENTS_WEBHOOK_SECRET"]);
    assert.deepEqual(declared.topics, ["afterchat-events"]);
    assert.deepEqual(declared.requiredApis, ["cloudtasks.googleapis.com"]);
    assert.deepEqual(declared.serviceAccounts, []);
    assert.equal(declared.usesSecrets, true);
  });

  it("keeps a service account set in code, and ignores firebase-functions' RESET_VALUE objects", () => {
    const declared = declaredFrom({
      a: {
        __endpoint: {
          region: ["us-central1"],
          serviceAccountEmail: "runtime@p.iam.gserviceaccount.com",
          httpsTrigger: {},
        },
      },
      b: { __endpoint: { region: ["us-central1"], serviceAccountEmail: { reset: true }, httpsTrigger: {} } },
    });
    assert.deepEqual(declared.serviceAccounts, ["runtime@p.iam.gserviceaccount.com"]);
  });

  it("takes PUBLIC_URL from functions/.env.<project>, then functions/.env, then --public-url", () => {
    const dir = mkdtempSync(join(tmpdir(), "doctor-env-"));
    try {
      assert.deepEqual(publicUrlOf(dir, "shop-chat", "https://flag.example"), {
        url: "https://flag.example",
        source: "--public-url",
      });
      writeFileSync(join(dir, ".env"), "PUBLIC_URL=https://shared.example\n");
      assert.deepEqual(publicUrlOf(dir, "shop-chat", "https://flag.example"), {
        url: "https://shared.example",
        source: "functions/.env",
      });
      writeFileSync(
        join(dir, ".env.shop-chat"),
        'EMAIL_FROM=hi@shop.example\nPUBLIC_URL="https://shop-chat.web.app"\n',
      );
      assert.deepEqual(publicUrlOf(dir, "shop-chat", "https://flag.example"), {
        url: "https://shop-chat.web.app",
        source: "functions/.env.shop-chat",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
