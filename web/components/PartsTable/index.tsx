import type { MultipartPart } from '../../../shared/api-types.js';
import { api } from '../../lib/api.js';
import { formatBytes } from '../../lib/format.js';
import styles from './style.module.css';

/** The parts of a multipart/form-data body; every part, file or field, can be downloaded as sent. */
export function PartsTable({ parts, binId, requestId }: { parts: MultipartPart[]; binId: string; requestId: string }) {
  if (parts.length === 0) return <p class={styles.muted}>The multipart body has no parts.</p>;
  return (
    <div class={styles.wrap}>
      <table class={styles.table} aria-label="Multipart parts">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Field</th>
            <th scope="col">File or value</th>
            <th scope="col">Type</th>
            <th scope="col">Size</th>
            <th scope="col">
              <span class="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.map((part) => (
            <tr key={part.index}>
              <td>{part.index}</td>
              <td class={styles.name}>{part.name}</td>
              <td class={styles.value}>{part.filename !== undefined ? <span class={styles.file}>{part.filename || '(no file name)'}</span> : part.value}</td>
              <td>{part.contentType}</td>
              <td class={styles.size}>{formatBytes(part.size)}</td>
              <td>
                <a class="button" href={api.partPath(binId, requestId, part.index, true)} download>
                  Download
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
