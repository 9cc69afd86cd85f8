/**
 * JSON Schema (draft 2020-12) of the Krea job object that Krea POSTs to the `X-Webhook-URL` of a
 * generation request when the job ends. Written from ../shared/reference/payloads.md §1.
 *
 * Strict where the sources agree, open where real senders differ: the top level and `result` take
 * extra keys (Krea adds fields over time), `result.urls` items may be URI strings or `{type, url}`
 * objects (3D jobs), and `status` lists every lifecycle state: a non-terminal status is a valid
 * job object but a wrong webhook, and shared/checks/semantic.ts says so in words.
 *
 * Written as a TS module, not a .json file, so one object serves tsc, the server's ajv and the
 * Vite-built inspector without loader settings.
 */

/** Every job status of the Krea lifecycle, in lifecycle order. */
export const KREA_STATUSES = [
  'backlogged',
  'queued',
  'scheduled',
  'processing',
  'sampling',
  'intermediate-complete',
  'completed',
  'failed',
  'cancelled',
] as const;

export type KreaStatus = (typeof KREA_STATUSES)[number];

const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

/** Failure details: Krea does not document their shape, so a message or an object. */
const errorDetails = {
  type: ['string', 'object'],
  description: 'Failure details; the shape is undocumented, so a message string or an object.',
} as const;

export const kreaJobSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:hookscope:schema:krea-job',
  title: 'Krea job',
  description: 'The job object Krea POSTs to the X-Webhook-URL of a generation request when the job reaches a terminal state.',
  type: 'object',
  required: ['job_id', 'status', 'created_at'],
  properties: {
    job_id: { type: 'string', format: 'uuid', description: 'The job id returned when the job was created.' },
    status: {
      type: 'string',
      enum: KREA_STATUSES,
      description: 'Lifecycle state; only completed, failed and cancelled are terminal, so only they should arrive by webhook.',
    },
    created_at: dateTime('When the job was created (ISO 8601, UTC, with or without milliseconds).'),
    completed_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When the job reached its terminal state; null or absent while it runs.',
    },
    result: {
      type: ['object', 'null'],
      description: 'What the job produced; null when it produced nothing (e.g. cancelled). Open: extra keys are allowed.',
      properties: {
        urls: {
          type: 'array',
          description: 'Output files: URI strings, or {type, url} objects for some job types (3D).',
          items: {
            type: ['string', 'object'],
            // if/then/else rather than anyOf: ajv then reports the one failing branch precisely.
            if: { type: 'string' },
            then: { type: 'string', format: 'uri' },
            else: {
              type: 'object',
              required: ['url'],
              properties: {
                type: { type: 'string', description: 'Kind of output, e.g. a 3D model format.' },
                url: { type: 'string', format: 'uri', description: 'Where the output can be downloaded.' },
              },
            },
          },
        },
        style_id: { type: 'string', description: 'The trained style (LoRA training jobs).' },
        error: errorDetails,
      },
    },
    error: { ...errorDetails, description: 'Failure details at the top level, which some clients read instead of result.error.' },
  },
} as const;
