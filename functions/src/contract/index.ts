// The contract between the functions and the pages (hosting imports it): every HTTP body and
// response, every callable's request and response, every task payload, the settings document,
// the ids and the Firestore paths. Schemas are zod; types are z.infer of them. SDK-free.
export * from "./callables";
export * from "./deployment";
export * from "./dev";
export * from "./ids";
export * from "./paths";
export * from "./reach";
export * from "./settings";
export * from "./tasks";
export * from "./widget";
export * from "./patterns";
export * from "./roles";
