export interface AdminCreateOptions {
  email: string;
  projectId: string;
  quotaProject?: string;
  emulator: boolean;
  force: boolean;
}
export class UsageError extends Error {}
export function options(args?: string[]): AdminCreateOptions;
export function quotaProjectFor(o: {
  quotaProject?: string;
  projectId: string;
  userCredentials: boolean;
  envQuotaProject?: string;
  adcQuotaProject?: string;
}): string | undefined;
export function createAdmin(opts: AdminCreateOptions): Promise<{ uid: string; created: boolean; link: string }>;
