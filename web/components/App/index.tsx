import { useEffect } from 'preact/hooks';
import { announceLogout, watchLogout } from '../../lib/session-end.js';
import { useRoute } from '../../lib/use-route.js';
import { useServerStatus } from '../../lib/use-server-status.js';
import { BinPage } from '../BinPage/index.js';
import { ErrorBoundary } from '../ErrorBoundary/index.js';
import { Link } from '../Link/index.js';
import { StartPage } from '../StartPage/index.js';
import styles from './style.module.css';

export function App() {
  const route = useRoute();
  const status = useServerStatus();
  useEffect(() => watchLogout(), []);
  return (
    <ErrorBoundary>
      <div class={styles.shell}>
        <header class={styles.bar}>
          <Link href="/" class={styles.logo} aria-label="hookscope: all bins">
            <span aria-hidden="true" class={styles.mark}>
              ◎
            </span>{' '}
            hookscope
          </Link>
          <nav class={styles.nav} aria-label="Site">
            <a href="/api/openapi.json" target="_blank" rel="noreferrer">
              API
            </a>
            {status?.authRequired && (
              // A plain form post: the session cookie is HttpOnly, so only the server can end it.
              <form method="post" action="/logout" class={styles.logout} onSubmit={announceLogout}>
                <button type="submit" data-variant="quiet">
                  Log out
                </button>
              </form>
            )}
          </nav>
        </header>
        {status?.storage.warning && (
          <p class={styles.warning} role="status" data-testid="storage-warning">
            {status.storage.warning}
          </p>
        )}
        <main class={styles.main}>
          {route.page === 'home' && <StartPage />}
          {route.page === 'bin' && <BinPage key={route.binId} binId={route.binId} requestId={route.requestId} reachability={status?.reachability ?? null} />}
          {route.page === 'not-found' && (
            <div class={styles.notFound}>
              <h1>Nothing here</h1>
              <p>
                <code>{route.path}</code> is not a page of the inspector. <Link href="/">See all bins</Link>.
              </p>
            </div>
          )}
        </main>
      </div>
    </ErrorBoundary>
  );
}
