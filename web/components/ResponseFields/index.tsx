import { useState } from 'preact/hooks';
import type { ScriptedResponse } from '../../../shared/responses/types.js';
import { Field, Row } from '../Field/index.js';
import { PairsEditor } from '../PairsEditor/index.js';
import styles from './style.module.css';

interface Props {
  value: ScriptedResponse;
  onChange(value: ScriptedResponse): void;
  /** Largest delay allowed here (30 s for the default answer, 120 s in rules). */
  maxDelayMs: number;
  /** Show body and headers at once rather than folded. */
  open?: boolean;
  /** In a rule: the bin's default answer, whose status and content type an empty field takes (its delay is not taken). */
  fallback?: ScriptedResponse;
}

/** A number input's value: empty means "not set" (not saved; the placeholder shows what applies). */
const optionalNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** One scripted answer: status, delay, content type, headers and body; every field optional. */
export function ResponseFields({ value, onChange, maxDelayMs, open = false, fallback }: Props) {
  // Header rows are kept here while being typed (an empty or repeated name has no place in the map).
  const [headers, setHeaders] = useState<[string, string][]>(() => Object.entries(value.headers ?? {}));
  const set = (patch: Partial<ScriptedResponse>) => onChange(strip({ ...value, ...patch }));
  const extras = (value.body ? 1 : 0) + headers.length;
  return (
    <div class={styles.fields}>
      <Row>
        <Field label="Status">
          <input
            type="number"
            min={200}
            max={599}
            placeholder={fallback ? `${fallback.status ?? 200} (default)` : '200'}
            value={value.status ?? ''}
            onInput={(e) => set({ status: optionalNumber(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Delay (ms)" hint={delayHint(maxDelayMs, fallback)}>
          <input
            type="number"
            min={0}
            max={maxDelayMs}
            placeholder="0"
            value={value.delayMs ?? ''}
            onInput={(e) => set({ delayMs: optionalNumber(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Content type" grow>
          <input
            type="text"
            placeholder={fallback?.contentType !== undefined ? `${fallback.contentType} (default)` : 'application/json'}
            value={value.contentType ?? ''}
            spellcheck={false}
            onInput={(e) => set({ contentType: e.currentTarget.value || undefined })}
          />
        </Field>
      </Row>
      <details class={styles.more} open={open}>
        <summary>Body and headers{extras > 0 && ` (${extras} set)`}</summary>
        <div class={styles.moreBody}>
          <Field label="Body" hint="text, up to 64 KB">
            <textarea rows={3} value={value.body ?? ''} spellcheck={false} onInput={(e) => set({ body: e.currentTarget.value || undefined })} />
          </Field>
          <PairsEditor
            label="Response header"
            pairs={headers}
            onChange={(pairs) => {
              setHeaders(pairs);
              const named = pairs.filter(([name]) => name.trim() !== '');
              set({ headers: named.length ? Object.fromEntries(named.map(([n, v]) => [n.trim(), v])) : undefined });
            }}
          />
        </div>
      </details>
    </div>
  );
}

/** The bound, and in a rule whose default answer waits, that an empty delay is none (what the server does). */
function delayHint(maxDelayMs: number, fallback: ScriptedResponse | undefined): string {
  const bound = `≤ ${maxDelayMs / 1000} s`;
  return fallback?.delayMs ? `${bound}; empty: none, the default’s ${fallback.delayMs} ms is not added` : bound;
}

/** Drops the fields left empty, so the saved JSON says only what was set. */
function strip(response: ScriptedResponse): ScriptedResponse {
  return Object.fromEntries(Object.entries(response).filter(([, v]) => v !== undefined)) as ScriptedResponse;
}
