/**
 * Errors that point at the field, for schemas built of `oneOf` / `anyOf` (GitHub's publishes each
 * event as a oneOf of its actions). ajv reports a failed oneOf as the errors of every branch and
 * then one error at the value; which errors came from which branch it does not say (through a
 * $ref, error paths are relative to the referenced schema). So the value is validated again
 * against the closest branch alone, and that branch's errors are reported, at their real places:
 * - the closest branch is the one whose discriminators match: its `properties` with a `const` or
 *   `enum` (e.g. `action: { enum: ["opened"] }`) that the value has, all equal to what it holds;
 * - when no branch (or several) match that way, the one of those with the fewest errors (of the
 *   few whose required and allowed fields fit the value best).
 * When no discriminator matched and the closest branch only objects to the value as a whole (the
 * branches are alternatives such as `"a"` or `>= 10`), the one issue listing the alternatives is
 * kept. Branches are looked at in the schema as the user gave it; compiled subschemas are cached.
 */
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { isJsonObject } from '../../shared/checks/detect.js';
import { ownValue } from '../../shared/safe-keys.js';
import type { CheckIssue } from '../../shared/checks/types.js';
import { issuesFromAjv } from './ajv-messages.js';

/**
 * Branches validated one by one at most, for the fewest-errors choice: the ones that look closest
 * by their shape (see mismatch) are tried first. GitHub's root oneOf has 344 events.
 */
const MAX_BRANCHES_TRIED = 8;
/** Nested oneOfs refined at most this deep; deeper ones keep the one collapsed issue. */
const MAX_REFINE_DEPTH = 8;
/** Subschemas kept compiled per schema. */
const MAX_CACHED = 1000;

export class SchemaBranches {
  readonly #validators = new Map<string, ValidateFunction | null>();
  #locations: Map<object, string> | undefined;

  /** `key` is what the root schema was added to `ajv` under; `root` is the schema document as given. */
  readonly #ajv: Ajv2020;
  readonly #key: string;
  readonly #root: unknown;

  constructor(ajv: Ajv2020, key: string, root: unknown) {
    this.#ajv = ajv;
    this.#key = key;
    this.#root = root;
  }

  /**
   * The validator of the subschema at a JSON Pointer (e.g. '/definitions/issues_event'), compiled
   * on first use; null when nothing is there or it does not compile.
   */
  at(pointer: string): ValidateFunction | null {
    const cached = this.#validators.get(pointer);
    if (cached !== undefined) return cached;
    let validate: ValidateFunction | null = null;
    if (resolve(this.#root, pointer) !== undefined) {
      try {
        validate = this.#ajv.compile({ $ref: `${this.#key}#${encodeURI(pointer)}` });
      } catch {
        validate = null;
      }
    }
    if (this.#validators.size >= MAX_CACHED) this.#validators.delete(this.#validators.keys().next().value!);
    this.#validators.set(pointer, validate);
    return validate;
  }

  #rootData: unknown;

  /** The issues of ajv errors from validating `rootData`, each failed oneOf / anyOf replaced by its closest branch's own issues. */
  issues(errors: readonly ErrorObject[], rootData: unknown, depth = 0): CheckIssue[] {
    if (depth === 0) this.#rootData = rootData;
    return issuesFromAjv(errors, 'The payload', depth < MAX_REFINE_DEPTH ? (error) => this.#closest(error, depth) : undefined);
  }

  #closest(error: ErrorObject, depth: number): CheckIssue[] | null {
    const branches = error.schema;
    if (!Array.isArray(branches) || branches.length === 0) return null;
    const data = error.data;
    const located = branches.map((branch) => ({ branch: this.#target(branch), pointer: this.#pointerOf(branch) }));
    const matching = located.filter((b) => b.pointer !== null && discriminated(b.branch, data) === true);
    const pool = matching.length > 0 ? matching : located.filter((b) => b.pointer !== null);
    const scored = pool.map((b, i) => ({ ...b, score: this.#mismatch(b.branch, data, 0), i }));
    const candidates = scored.sort((a, b) => a.score - b.score || a.i - b.i).slice(0, MAX_BRANCHES_TRIED);
    let best: { issues: CheckIssue[]; rank: number } | null = null;
    for (const candidate of candidates) {
      const validate = this.at(candidate.pointer!);
      // Validated in place (instancePath, rootData), so paths and messages name the real fields.
      if (!validate || validate(data, { instancePath: error.instancePath, rootData: this.#rootData } as never)) continue;
      const found = this.issues(validate.errors ?? [], this.#rootData, depth + 1);
      // A branch of another type than the value (a string where an object came) is the farthest.
      const rank = (typeMatches(this.#target(candidate.branch), data) ? 0 : 1_000_000) + found.length;
      if (best === null || rank < best.rank) best = { issues: found, rank };
    }
    if (!best) return null;
    // Alternatives for the value itself ("a" or >= 10), none named by a discriminator: listing them
    // all in one issue says more than picking one.
    if (matching.length === 0 && best.issues.every((i) => i.path === error.instancePath)) return null;
    return best.issues;
  }

  /**
   * How far a value is from a branch by its shape alone, without validating: required fields it
   * lacks, fields it has that the branch does not allow, a discriminator that differs; for a
   * branch that is itself a oneOf / anyOf, its closest branch's.
   */
  #mismatch(branch: unknown, data: unknown, depth: number): number {
    const target = this.#target(branch);
    if (!isJsonObject(target)) return 0;
    const inner = Array.isArray(target.oneOf) ? target.oneOf : Array.isArray(target.anyOf) ? target.anyOf : null;
    if (inner && depth < 3 && inner.length > 0) return Math.min(...inner.slice(0, 500).map((b) => this.#mismatch(b, data, depth + 1)));
    if (!isJsonObject(data)) return 0;
    let score = discriminated(target, data) === false ? 10 : 0;
    if (Array.isArray(target.required)) score += target.required.filter((name) => typeof name === 'string' && !Object.hasOwn(data, name)).length;
    if (target.additionalProperties === false && isJsonObject(target.properties)) {
      const allowed = target.properties;
      score += Object.keys(data).filter((name) => !Object.hasOwn(allowed, name)).length;
    }
    return score;
  }

  /** The schema a branch stands for: what its local `$ref` points at, or itself. */
  #target(branch: unknown): unknown {
    const ref = isJsonObject(branch) ? branch.$ref : undefined;
    return typeof ref === 'string' && ref.startsWith('#') ? resolve(this.#root, decodeURI(ref.slice(1))) : branch;
  }

  /** Where a branch is in the root document, as a JSON Pointer; null when it cannot be found. */
  #pointerOf(branch: unknown): string | null {
    if (isJsonObject(branch) && typeof branch.$ref === 'string' && branch.$ref.startsWith('#/') && Object.keys(branch).length === 1)
      return decodeURI(branch.$ref.slice(1));
    if (typeof branch !== 'object' || branch === null) return null;
    return (this.#locations ??= locate(this.#root)).get(branch) ?? null;
  }
}

/**
 * Whether a branch's const / enum properties match the value: true when it has some and all that
 * the value carries match, false when one differs, undefined when it has none to compare.
 */
function discriminated(branch: unknown, data: unknown): boolean | undefined {
  if (!isJsonObject(branch) || !isJsonObject(branch.properties) || !isJsonObject(data)) return undefined;
  let compared = false;
  for (const [name, property] of Object.entries(branch.properties)) {
    if (!isJsonObject(property) || !Object.hasOwn(data, name)) continue;
    const value = data[name];
    if ('const' in property) {
      compared = true;
      if (JSON.stringify(property.const) !== JSON.stringify(value)) return false;
    } else if (Array.isArray(property.enum) && property.enum.length <= 5) {
      // A short enum names a variant; a long one (every country, every language) is no discriminator.
      compared = true;
      if (!property.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) return false;
    }
  }
  return compared ? true : undefined;
}

const JSON_TYPES = (value: unknown): string[] =>
  value === null
    ? ['null']
    : Array.isArray(value)
      ? ['array']
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? ['number', 'integer']
          : ['number']
        : [typeof value];

/** Whether a branch's `type` (when it has one) admits the value. */
function typeMatches(branch: unknown, data: unknown): boolean {
  if (!isJsonObject(branch) || branch.type === undefined) return true;
  const allowed = Array.isArray(branch.type) ? branch.type : [branch.type];
  return JSON_TYPES(data).some((t) => allowed.includes(t));
}

/** The value at a JSON Pointer in a document, undefined when there is none. */
export function resolve(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = ownValue(node as Record<string, unknown>, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

/** Every object of a schema document by identity, with its JSON Pointer (walked without recursion). */
function locate(root: unknown): Map<object, string> {
  const found = new Map<object, string>();
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (typeof node !== 'object' || node === null || found.has(node)) continue;
    found.set(node, pointer);
    for (const [key, child] of Object.entries(node)) stack.push([child, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
  }
  return found;
}
