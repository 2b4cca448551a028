/** The one region every function is deployed to and every client calls (Firestore should be near it). */
export const REGION = "us-central1";

/** The local emulators' addresses (firebase.json), used only by code that runs against them. */
export const EMULATOR_PORTS = { hosting: 5000, functions: 5001, firestore: 8080, auth: 9099 } as const;
