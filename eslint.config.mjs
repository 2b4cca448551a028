import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/", "functions/lib/", "hosting/dist/", ".cache/", "test-artifacts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  { files: ["hosting/src/**"], languageOptions: { globals: { ...globals.browser } } },
  {
    // The domain is pure: no Firebase, no Google clients, no Firestore paths or I/O of ours.
    files: ["functions/src/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["firebase", "firebase/*", "firebase-admin", "firebase-admin/*"], message: "domain/ is pure" },
            { group: ["firebase-functions", "firebase-functions/*", "@google-cloud/*"], message: "domain/ is pure" },
            {
              group: ["**/store/*", "**/store", "**/endpoints/*", "**/triggers/*", "**/channels/*", "**/http/*"],
              message: "domain/ imports only domain/ (and contract patterns)",
            },
            { group: ["**/clock", "**/config", "**/logs"], message: "domain/ gets time and settings passed in" },
          ],
        },
      ],
    },
  },
  { files: ["**/test/**"], languageOptions: { globals: { ...globals.mocha } } },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
