import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { bodyBytes } from '../../lib/bytes.js';
import { formatBytes } from '../../lib/format.js';
import type { RequestDetail } from '../../lib/types.js';
import { HexView } from '../HexView/index.js';
import { JsonTree, type TreeFocus } from '../JsonTree/index.js';
import { KeyValueTable } from '../KeyValueTable/index.js';
import { LargeJsonTree } from '../LargeJsonTree/index.js';
import { LargeTextView } from '../LargeTextView/index.js';
import { PartsTable } from '../PartsTable/index.js';
import styles from './style.module.css';

type Mode = 'tree' | 'pretty' | 'raw' | 'form' | 'parts' | 'hex';

const LABELS: Record<Mode, string> = { tree: 'JSON tree', pretty: 'Pretty', raw: 'Raw', form: 'Form fields', parts: 'Parts', hex: 'Hex' };

/** A body cut for the detail that still looks like JSON: its pretty view is built from the whole body on request. */
function largeJson(detail: RequestDetail): boolean {
  return (
    detail.body.truncated === true &&
    detail.body.encoding === 'utf8' &&
    (/json/i.test(detail.contentType ?? '') || /^\s*[[{]/.test(detail.body.data.slice(0, 64)))
  );
}

/** Whether the body has a JSON tree view (the small tree, or the large one built on request): problems can point into it. */
export function hasJsonTree(detail: RequestDetail): boolean {
  return Boolean(detail.json) || largeJson(detail);
}

function modesFor(detail: RequestDetail): Mode[] {
  const modes: Mode[] = [];
  if (detail.json) modes.push('tree', 'pretty');
  else if (largeJson(detail)) modes.push('tree', 'pretty');
  if (detail.form) modes.push('form');
  if (detail.parts) modes.push('parts');
  if (detail.body.encoding === 'utf8') modes.push('raw');
  modes.push('hex');
  return modes;
}

/** The body in every form that fits it; the first is the most readable one. `focus` switches to the tree and reveals a node. */
export function BodyView({ detail, focus = null }: { detail: RequestDetail; focus?: TreeFocus | null }) {
  const modes = modesFor(detail);
  const [mode, setMode] = useState<Mode>(modes[0]!);
  useEffect(() => {
    if (focus && hasJsonTree(detail)) setMode('tree');
  }, [focus]);
  const bytes = useMemo(() => (mode === 'hex' ? bodyBytes(detail.body) : null), [detail.body, mode]);
  const download = api.bodyPath(detail.binId, detail.id, true);

  if (detail.size === 0) return <p class={styles.muted}>No body.</p>;
  return (
    <div class={styles.body}>
      {detail.body.truncated && (
        <p class={styles.notice} role="note">
          Showing the first {formatBytes(bodyBytes(detail.body).length)} of {formatBytes(detail.size)}.{' '}
          <a href={download} download>
            Download the whole body
          </a>
          .
        </p>
      )}
      {detail.jsonError && <p class={styles.warn}>Looks like JSON but does not parse: {detail.jsonError}</p>}
      {detail.jsonOmitted && (
        <p class={styles.notice} role="note" data-testid="json-omitted">
          JSON {detail.jsonOmitted}.
        </p>
      )}
      {detail.partsError && <p class={styles.warn}>The multipart body could not be parsed: {detail.partsError}</p>}
      <div class={styles.tabs} role="tablist" aria-label="Body view">
        {modes.map((m) => (
          <button key={m} type="button" role="tab" aria-selected={m === mode} class={styles.tab} onClick={() => setMode(m)}>
            {LABELS[m]}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={LABELS[mode]} class={styles.panel}>
        {mode === 'tree' && detail.json && <JsonTree value={detail.json.value} focus={focus} />}
        {mode === 'tree' && !detail.json && <LargeJsonTree binId={detail.binId} requestId={detail.id} size={detail.size} focus={focus} />}
        {(mode === 'pretty' || mode === 'raw') && detail.body.truncated && !detail.json && (
          <LargeTextView key={mode} binId={detail.binId} requestId={detail.id} size={detail.size} mode={mode} />
        )}
        {mode === 'pretty' && detail.json && (
          <pre class={styles.text} data-testid="body-pretty">
            {JSON.stringify(detail.json.value, null, 2)}
          </pre>
        )}
        {mode === 'raw' && !detail.body.truncated && (
          <pre class={styles.text} data-testid="body-raw">
            {detail.body.data}
          </pre>
        )}
        {mode === 'form' && detail.form && <KeyValueTable rows={detail.form} label="Form fields" nameHeader="Field" empty="No fields." />}
        {mode === 'parts' && detail.parts && <PartsTable parts={detail.parts} binId={detail.binId} requestId={detail.id} />}
        {mode === 'hex' && bytes && <HexView bytes={bytes} />}
      </div>
    </div>
  );
}
