import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../tools/chromium.mjs";

export function launch() {
  return chromium.launch(CHROMIUM_LAUNCH);
}
