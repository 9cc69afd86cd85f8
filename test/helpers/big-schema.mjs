// Plain JavaScript so that the event-loop benchmark (bench/event-loop.mjs) and the check budget
// test (test/check-budget.test.ts) compile the same slow schema; big-schema.d.mts types it.

/**
 * A custom JSON Schema of `n` object properties with patterns, formats and branches: slow to
 * compile. `salt` goes into the property names, so that two calls can give different documents.
 */
export function bigSchema(n, salt = '') {
  const properties = {};
  for (let i = 0; i < n; i++) {
    properties[`field${i}${salt}`] = {
      type: 'object',
      properties: {
        a: { type: 'string', pattern: `^x${i}[a-z]+$`, format: 'date-time' },
        b: {
          anyOf: [
            { type: 'integer', minimum: i },
            { type: 'string', maxLength: i + 1 },
          ],
        },
      },
      required: ['a'],
    };
  }
  return { type: 'object', properties };
}
