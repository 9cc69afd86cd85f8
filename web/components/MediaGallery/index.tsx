import { useState } from 'preact/hooks';
import type { MediaItem } from '../../lib/payload-fields.js';
import styles from './style.module.css';

/**
 * A job's result media. The URLs come from the payload, so their hosts are chosen by whoever
 * sent it: nothing is loaded (no image, no video, no prefetch) until the user asks, and the
 * button says which hosts will then be contacted. Links open in a new tab without a referrer.
 */
export function MediaGallery({ items }: { items: MediaItem[] }) {
  const [shown, setShown] = useState(false);
  if (items.length === 0) return null;
  const hosts = [...new Set(items.map((item) => new URL(item.url).host))];
  return (
    <div class={styles.gallery} data-testid="media-gallery">
      <ul class={styles.links}>
        {items.map((item, i) => (
          <li key={i}>
            <a href={item.url} target="_blank" rel="noreferrer noopener">
              {item.url}
            </a>{' '}
            <span class={styles.kind}>{item.kind}</span>
          </li>
        ))}
      </ul>
      {!shown ? (
        <button type="button" onClick={() => setShown(true)} data-testid="load-media">
          Load {items.length === 1 ? 'the preview' : `${items.length} previews`} from {hosts.slice(0, 3).join(', ')}
          {hosts.length > 3 ? ` and ${hosts.length - 3} more` : ''}
        </button>
      ) : (
        <div class={styles.grid}>
          {items.map((item, i) =>
            item.kind === 'video' ? (
              <video key={i} src={item.url} controls preload="metadata" class={styles.media} />
            ) : item.kind === 'image' ? (
              <img key={i} src={item.url} alt={`Result ${i + 1}`} class={styles.media} referrerpolicy="no-referrer" loading="lazy" />
            ) : null,
          )}
        </div>
      )}
    </div>
  );
}
