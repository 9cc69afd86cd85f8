/** The `reachability` object of GET /api/status (computed by server/reachability.ts; ways out from shared/reachability.ts). */
export const reachabilitySchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Whether other machines can reach the capture URLs this caller is given (without --public-url they use the origin of the call), and the ways out when they cannot.',
  required: ['reachable', 'reason', 'message', 'origin', 'localOrigin', 'port', 'waysOut'],
  properties: {
    reachable: { type: 'boolean' },
    reason: { enum: ['public-url', 'request-host', 'loopback-bind', 'loopback-url', 'private-address'] },
    message: { type: 'string' },
    origin: { type: 'string', description: 'The origin capture URLs use for this caller' },
    localOrigin: { type: 'string', description: 'Where a tunnel or relay on this machine reaches hookscope, e.g. http://localhost:8080' },
    port: { type: 'integer', description: 'The port hookscope listens on' },
    waysOut: {
      type: 'array',
      description: 'Empty when reachable; else a public host, a tunnel (the exact commands for this port), hookscope forward',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'title', 'detail', 'commands', 'readme'],
        properties: {
          kind: { enum: ['public-host', 'tunnel', 'forward'] },
          title: { type: 'string' },
          detail: { type: 'string' },
          commands: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['label', 'command'],
              properties: { label: { type: 'string' }, command: { type: 'string' } },
            },
          },
          readme: { type: 'string' },
        },
      },
    },
  },
} as const;
