import { strictObject } from './json-schema.js';

/** The `reachability` object of GET /api/status (computed by server/reachability.ts; ways out from shared/reachability.ts). */
export const reachabilitySchema = {
  description:
    'Whether other machines can reach the capture URLs this caller is given (without --public-url they use the origin of the call), and the ways out when they cannot.',
  ...strictObject(
    {
      reachable: { type: 'boolean' },
      reason: { enum: ['public-url', 'request-host', 'loopback-bind', 'loopback-url', 'private-address'] },
      message: { type: 'string' },
      origin: { type: 'string', description: 'The origin capture URLs use for this caller' },
      localOrigin: { type: 'string', description: 'Where a tunnel or relay on this machine reaches hookscope, e.g. http://localhost:8080' },
      port: { type: 'integer', description: 'The port hookscope listens on' },
      waysOut: {
        type: 'array',
        description: 'Empty when reachable; else a public host, a tunnel (the exact commands for this port), hookscope forward',
        items: strictObject(
          {
            kind: { enum: ['public-host', 'tunnel', 'forward'] },
            title: { type: 'string' },
            detail: { type: 'string' },
            commands: {
              type: 'array',
              items: strictObject({ label: { type: 'string' }, command: { type: 'string' } }, ['label', 'command']),
            },
            readme: { type: 'string' },
          },
          ['kind', 'title', 'detail', 'commands', 'readme'],
        ),
      },
    },
    ['reachable', 'reason', 'message', 'origin', 'localOrigin', 'port', 'waysOut'],
  ),
} as const;
