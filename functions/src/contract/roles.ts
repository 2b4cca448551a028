/** Console roles live in the `role` custom claim; agents/{uid} mirrors them for the console's list. Dependency-free. */
export const CONSOLE_ROLES = ["admin", "agent"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];
