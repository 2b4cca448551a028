export function localAddresses(text: string): string[];
