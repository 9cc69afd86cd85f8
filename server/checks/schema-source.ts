import { createHash } from 'node:crypto';

/** A custom schema as the check workers take it: its JSON text, and a hash of it to cache its compiled form by. */
export interface SchemaSource {
  /** SHA-256 of `text`, hex. */
  hash: string;
  text: string;
}

// A bin's schema object lives as long as its settings; serialise and hash it once, not per capture.
const sources = new WeakMap<object, SchemaSource>();

/** The source of a custom schema (from a bin's settings or an API body). Throws for a value JSON cannot hold (a cycle). */
export function schemaSource(schema: Record<string, unknown>): SchemaSource {
  let source = sources.get(schema);
  if (!source) {
    const text = JSON.stringify(schema);
    source = { hash: createHash('sha256').update(text).digest('hex'), text };
    sources.set(schema, source);
  }
  return source;
}
