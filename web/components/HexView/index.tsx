import { useMemo, useState } from 'preact/hooks';
import { hexDump } from '../../lib/bytes.js';
import styles from './style.module.css';

const FIRST_ROWS = 256;
const MORE_ROWS = 2048;

/** Offset, hex and ASCII columns; big bodies start with 4 KB and grow on request. */
export function HexView({ bytes }: { bytes: Uint8Array }) {
  const [rows, setRows] = useState(FIRST_ROWS);
  const totalRows = Math.ceil(bytes.length / 16);
  const text = useMemo(() => hexDump(bytes, 0, Math.min(rows, totalRows)), [bytes, rows, totalRows]);
  return (
    <div>
      <pre class={styles.hex} data-testid="hex-view" tabIndex={0} aria-label="Hex dump of the body">
        {text}
      </pre>
      {rows < totalRows && (
        <button type="button" onClick={() => setRows(rows + MORE_ROWS)}>
          Show more ({(totalRows - rows).toLocaleString()} row{totalRows - rows === 1 ? '' : 's'} left)
        </button>
      )}
    </div>
  );
}
