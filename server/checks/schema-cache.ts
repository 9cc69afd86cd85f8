import type { CompiledSchema } from './validator.js';
import type { SchemaSource } from './schema-source.js';

/** Schema text kept compiled, in all (compiled code takes several times as much memory). */
export const SCHEMA_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Compiled custom schemas by content hash, the least recently used dropped first once their
 * sources pass `maxBytes` together. Each compile happens once per cache: a bin's schema is
 * compiled when it is saved, and its captures find it here.
 */
export class CompiledSchemas {
  readonly #entries = new Map<string, { compiled: CompiledSchema; bytes: number }>();
  #bytes = 0;
  #compiles = 0;
  readonly #compile: (schema: unknown) => CompiledSchema;
  readonly #maxBytes: number;

  /** `compile` is compileCustomSchema (passed in, so this module and the validator do not import each other). */
  constructor(compile: (schema: unknown) => CompiledSchema, maxBytes: number = SCHEMA_CACHE_BYTES) {
    this.#compile = compile;
    this.#maxBytes = maxBytes;
  }

  /** The compiled schema (compiling it on a miss); never throws: a schema that does not compile gives ok: false. */
  get(source: SchemaSource): CompiledSchema {
    const hit = this.#entries.get(source.hash);
    if (hit) {
      this.#entries.delete(source.hash); // re-inserted: the Map's order is the LRU order
      this.#entries.set(source.hash, hit);
      return hit.compiled;
    }
    const compiled = this.#compile(parse(source.text));
    this.#compiles++;
    this.#entries.set(source.hash, { compiled, bytes: source.text.length });
    this.#bytes += source.text.length;
    for (const [hash, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes || hash === source.hash) break;
      this.#entries.delete(hash);
      this.#bytes -= entry.bytes;
    }
    return compiled;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Schemas compiled so far (a hit compiles nothing). */
  get compiles(): number {
    return this.#compiles;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // compileCustomSchema refuses it with a message
  }
}
