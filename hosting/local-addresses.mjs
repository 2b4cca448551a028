// What counts as a local address in a production file (build.mjs refuses them; tools/deploy tests it).

/**
 * Firebase Auth's own "http://localhost" constants, which are labels, never fetched: the fixed
 * requestUri of signInWithIdp, and the empty page a Firefox sign-in popup opens on. Matched with
 * their minified surroundings so that no other "localhost" can hide behind them.
 */
const FIREBASE_AUTH_CONSTANTS = [
  /(\/v1\/accounts:signInWithIdp"[^"]{0,80}?=)"http:\/\/localhost"(?=,)/g,
  /(="_blank",[\w$]{1,4}=)"http:\/\/localhost"(?=,)/g,
];

/** Every 127.0.0.1 / localhost a file's text names, less the Firebase Auth SDK's two constants. */
export function localAddresses(text) {
  const rest = FIREBASE_AUTH_CONSTANTS.reduce((t, re) => t.replace(re, '$1""'), text);
  return rest.match(/127\.0\.0\.1|localhost/g) ?? [];
}
