import { IdFact, StatusFact } from '../PayloadFacts/index.js';
import { errorText, field, formatDuration, resultMedia, text, time } from '../../lib/payload-fields.js';
import { MediaGallery } from '../MediaGallery/index.js';
import styles from '../PayloadFacts/style.module.css';

/** A Krea job as its sender means it: status, timing, the result gallery (on request) and the error of a failed job. */
export function KreaJobView({ job }: { job: unknown }) {
  const status = text(field(job, 'status'));
  const created = time(field(job, 'created_at'));
  const completed = time(field(job, 'completed_at'));
  const result = field(job, 'result');
  const error = errorText(field(result, 'error')) ?? errorText(field(job, 'error'));
  const media = resultMedia(field(result, 'urls'));
  const styleId = text(field(result, 'style_id'));
  return (
    <div class={styles.view} data-testid="krea-view">
      <dl class={styles.facts}>
        <StatusFact status={status} />
        <IdFact label="Job" id={text(field(job, 'job_id'))} />
        <dt>Created</dt>
        <dd>{text(field(job, 'created_at')) ?? '—'}</dd>
        <dt>Completed</dt>
        <dd>
          {text(field(job, 'completed_at')) ?? '—'}
          {created !== null && completed !== null && <span data-testid="krea-duration"> · took {formatDuration(completed - created)}</span>}
        </dd>
        {styleId !== null && (
          <>
            <dt>Style</dt>
            <dd>
              <code>{styleId}</code>
            </dd>
          </>
        )}
      </dl>
      {error !== null && (
        <div role="group" aria-label="Error">
          <h4 class={styles.heading}>Error</h4>
          <pre class={styles.error} data-testid="krea-error">
            {error || '(empty)'}
          </pre>
        </div>
      )}
      {media.length > 0 && (
        <div role="group" aria-label="Result">
          <h4 class={styles.heading}>Result ({media.length})</h4>
          <MediaGallery items={media} />
        </div>
      )}
    </div>
  );
}
