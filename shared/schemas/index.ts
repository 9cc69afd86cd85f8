/**
 * The built-in payload schemas, one source for the server (compiled with ajv in
 * server/checks/validator.ts), `GET /api/schemas` and the inspector's schema picker.
 */
import { kreaJobSchema } from './krea-job.js';
import { langGraphRunSchema } from './langgraph-run.js';

export { KREA_STATUSES, kreaJobSchema, type KreaStatus } from './krea-job.js';
export { LANGGRAPH_STATUSES, langGraphRunSchema, type LangGraphStatus } from './langgraph-run.js';

export type BuiltinSchemaId = 'krea-job' | 'langgraph-run';

export interface BuiltinSchema {
  id: BuiltinSchemaId;
  title: string;
  description: string;
  /** The JSON Schema document (draft 2020-12). Treat as read-only: it is shared. */
  schema: { readonly $id: string; readonly title: string; readonly description: string };
}

export const BUILTIN_SCHEMAS: readonly BuiltinSchema[] = [
  { id: 'krea-job', title: kreaJobSchema.title, description: kreaJobSchema.description, schema: kreaJobSchema },
  { id: 'langgraph-run', title: langGraphRunSchema.title, description: langGraphRunSchema.description, schema: langGraphRunSchema },
];

export function isBuiltinSchemaId(value: unknown): value is BuiltinSchemaId {
  return value === 'krea-job' || value === 'langgraph-run';
}

/** The schema document of a built-in id. */
export function builtinSchema(id: BuiltinSchemaId): BuiltinSchema['schema'] {
  return id === 'krea-job' ? kreaJobSchema : langGraphRunSchema;
}
