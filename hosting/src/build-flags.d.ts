/**
 * Set by build.mjs (esbuild `define`): true only in the local demo build (`npm start`, `npm test`).
 * Code behind `if (LOCAL_BUILD && …)` (emulator wiring) is compiled out of what `firebase deploy` ships.
 */
declare const LOCAL_BUILD: boolean;

/** CSS imported by a script (uPlot's stylesheet): build.mjs loads it as text, the script adds a <style>. */
declare module "*.css" {
  const text: string;
  export default text;
}
