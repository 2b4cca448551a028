import { en, type Strings } from "./en";
import { vi } from "./vi";

const LANGUAGES: Record<string, Strings> = { en, vi };

/** The locale attribute wins, then the browser's languages; English otherwise. */
export function pickLanguage(requested: string | null, browser: readonly string[]): "en" | "vi" {
  for (const tag of [requested, ...browser]) {
    const lang = (tag ?? "").toLowerCase().split("-")[0];
    if (lang === "vi" || lang === "en") return lang;
  }
  return "en";
}

export function strings(lang: string): Strings {
  return LANGUAGES[lang] ?? en;
}

/** Fills {name} placeholders; values are plain text (the caller renders with textContent). */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
