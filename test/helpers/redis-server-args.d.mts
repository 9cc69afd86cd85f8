export function redisServerArgs(port: number, dir: string, fsync?: 'always' | 'everysec'): string[];
