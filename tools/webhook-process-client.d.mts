export interface WebhookProcess {
  /** Where the webhook answers (POST, signed bodies). */
  url: string;
  /** Test-only (parking: true): the next transaction commit stops there forever. */
  park(at: "before-commit" | "after-commit"): Promise<void>;
  /** Resolves when a transaction parked: where, and (before its commit) the open transaction's id. */
  parked(): Promise<{ at: string; transaction?: string }>;
  /** SIGKILL, as a crashed instance dies; resolves once it is gone. */
  kill(): Promise<void>;
}

export function startWebhookProcess(options: { projectId: string; parking?: boolean }): Promise<WebhookProcess>;
