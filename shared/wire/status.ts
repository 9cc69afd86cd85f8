/** Small answers of the API: server status, the built-in schemas, a payload check without capture. */
import { checkResultSchema, schemaChoiceSchema } from './checks.js';
import { strictObject } from './json-schema.js';
import { reachabilitySchema } from './reachability.js';

/** `GET /api/status`: how the server stands (storage limits, access control). */
export const serverStatusSchema = strictObject(
  {
    version: { type: 'string' },
    authRequired: { type: 'boolean' },
    reachability: reachabilitySchema,
    storage: strictObject(
      {
        dataSize: { type: ['integer', 'null'], description: 'Estimated bytes of stored requests at the last retention run (null: not measured yet)' },
        maxDataSize: { type: ['integer', 'null'] },
        retentionMs: { type: ['integer', 'null'] },
        warning: { type: ['string', 'null'], description: 'Set when --max-data-size made the oldest requests go' },
      },
      ['dataSize', 'maxDataSize', 'retentionMs', 'warning'],
    ),
  },
  ['version', 'authRequired', 'storage', 'reachability'],
);

/** `GET /api/schemas`: the built-in payload schemas, each with its JSON Schema document. */
export const schemaListSchema = strictObject(
  {
    schemas: {
      type: 'array',
      items: strictObject(
        {
          id: { enum: ['krea-job', 'langgraph-run'] },
          title: { type: 'string' },
          description: { type: 'string' },
          schema: { type: 'object', description: 'A JSON Schema (draft 2020-12)' },
        },
        ['id', 'title', 'description', 'schema'],
      ),
    },
  },
  ['schemas'],
);

/** `POST /api/validate`: any JSON checked against a schema, without capturing it. */
export const validateInputSchema = {
  type: 'object',
  required: ['payload'],
  properties: { schema: schemaChoiceSchema, payload: { description: 'The JSON to check' } },
  'x-must': '{ "schema": "auto" | "krea-job" | "langgraph-run" | { "custom": {…} }, "payload": <the JSON to check> }',
  'x-code': 'invalid_body',
} as const;

export { checkResultSchema };
