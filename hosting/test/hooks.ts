// Root hooks for the browser suites (loaded by .mocharc.json).
import { closeContexts } from "./browser";

export const mochaHooks = { afterEach: closeContexts };
