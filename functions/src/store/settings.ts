import { db, toFirestore } from "./db";
import { paths } from "../contract/paths";
import { ops } from "./ops";
import { BusinessSettings } from "../contract/settings";

export type { BusinessSettings };

const CACHE_MS = 60_000;
let cached: { value: BusinessSettings; at: number } | undefined;

/**
 * Settings change rarely; an instance re-reads them at most once a minute (one read saved per message).
 * A clock that went back (the emulator's dev clock reset after a test moved it on) also re-reads:
 * otherwise the copy would count as fresh until the clock caught up, years later.
 */
export async function getBusinessSettings(now = Date.now()): Promise<BusinessSettings> {
  const age = cached ? now - cached.at : Infinity;
  if (cached && age >= 0 && age < CACHE_MS) return cached.value;
  const snap = await db().doc(paths.businessSettings).get();
  ops.read();
  const value = BusinessSettings.parse(snap.data() ?? {});
  cached = { value, at: now };
  return value;
}

/** The settings as stored now, past the cache (the hourly sweep must not act on a minute-old period). */
export async function readBusinessSettings(): Promise<BusinessSettings> {
  clearSettingsCache();
  return getBusinessSettings();
}

export function clearSettingsCache(): void {
  cached = undefined;
}

/** Replaces the business settings with an already validated value (admins, from the console). */
export async function saveBusinessSettings(value: BusinessSettings): Promise<void> {
  await db().doc(paths.businessSettings).set(toFirestore(value)); // an emptied optional field is left out
  ops.write();
  clearSettingsCache();
}
