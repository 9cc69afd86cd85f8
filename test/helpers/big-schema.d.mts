export function bigSchema(n: number, salt?: string): Record<string, unknown>;
