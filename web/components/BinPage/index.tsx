import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { UpdateBinInput } from '../../../shared/api-types.js';
import type { Reachability } from '../../../shared/reachability.js';
import { useBinSession } from '../../lib/use-bin-session.js';
import { useHotkeys } from '../../lib/use-hotkeys.js';
import type { RequestItem } from '../../lib/types.js';
import { binHref, navigate } from '../../lib/use-route.js';
import { BinHeader } from '../BinHeader/index.js';
import { BinSettings, type SettingsTab } from '../BinSettings/index.js';
import { Dialog } from '../Dialog/index.js';
import { EmptyBin } from '../EmptyBin/index.js';
import { ExpectedStatus } from '../ExpectedStatus/index.js';
import { FilterBox } from '../FilterBox/index.js';
import { HelpDialog } from '../HelpDialog/index.js';
import { Link } from '../Link/index.js';
import { ListTools } from '../ListTools/index.js';
import { ReplayMany } from '../ReplayMany/index.js';
import { RequestDetailView } from '../RequestDetail/index.js';
import { RequestList } from '../RequestList/index.js';
import { SendPanel } from '../SendPanel/index.js';
import { Snippets } from '../Snippets/index.js';
import styles from './style.module.css';

/** The dialog open over the bin page, if any. */
type Panel = { kind: 'settings'; tab: SettingsTab } | { kind: 'send' } | { kind: 'replay-many'; requests: RequestItem[] } | null;

/** A bin: header, the live request list and the open request, side by side or stacked. `reachability`: GET /api/status's, null while unknown. */
export function BinPage({ binId, requestId, reachability = null }: { binId: string; requestId: string | null; reachability?: Reachability | null }) {
  const [snap, session] = useBinSession(binId);
  const [cursorId, setCursorId] = useState<string | null>(requestId);
  const [focusTick, setFocusTick] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const [setupOpen, setSetupOpen] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  // Ticked requests while selecting for a replay of many; null when not selecting.
  const [ticked, setTicked] = useState<ReadonlySet<string> | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const { bin, items } = snap;

  useEffect(() => {
    session.select(requestId);
    if (requestId) setCursorId(requestId);
  }, [session, requestId]);
  useEffect(() => {
    document.title = `${snap.unread.size ? `(${snap.unread.size}) ` : ''}${bin?.name ?? 'Bin'} · hookscope`;
  }, [bin?.name, snap.unread.size]);

  const open = (id: string | null) => navigate(binHref(binId, id));
  const cursorIndex = items.findIndex((item) => item.id === cursorId);
  const move = (delta: number) => {
    const next = items[cursorIndex < 0 ? 0 : Math.min(items.length - 1, Math.max(0, cursorIndex + delta))];
    if (!next) return;
    setCursorId(next.id);
    setFocusTick((n) => n + 1);
  };
  const remove = (id: string) => {
    const index = items.findIndex((item) => item.id === id);
    const neighbour = items[index + 1] ?? items[index - 1] ?? null;
    session.deleteWithUndo(id);
    if (cursorId === id) setCursorId(neighbour?.id ?? null);
    if (requestId === id) navigate(binHref(binId, neighbour?.id), { replace: true });
  };
  // Opening another request shows its top (title and actions), not where the last one was scrolled to.
  const detailPane = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    if (detailPane.current) detailPane.current.scrollTop = 0;
  }, [requestId]);

  const toggleTick = (id: string) =>
    setTicked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const saveBin = (patch: UpdateBinInput) => session.saveBin(patch);

  useHotkeys({
    j: () => move(1),
    k: () => move(-1),
    Enter: () => cursorId && open(cursorId),
    o: () => cursorId && open(cursorId),
    '/': () => filterRef.current?.focus(),
    '?': () => setHelpOpen(true),
    Delete: () => cursorId && remove(cursorId),
    '#': () => cursorId && remove(cursorId),
    x: () => ticked && cursorId && toggleTick(cursorId),
    Escape: (event) => {
      if (event.target === filterRef.current) filterRef.current?.blur();
      else if (helpOpen) setHelpOpen(false);
      else if (requestId) open(null);
    },
  });

  if (snap.loadError) {
    return (
      <div class={styles.message} role="alert">
        <h1>{snap.loadError.status === 404 ? 'No such bin' : 'Could not open this bin'}</h1>
        <p>{snap.loadError.status === 404 ? 'It may have been deleted.' : snap.loadError.message}</p>
        <p>
          <Link href="/">See all bins</Link>
        </p>
      </div>
    );
  }
  if (!bin) return <p class={styles.message}>Loading…</p>;

  const empty = items.length === 0 && !snap.loading && !snap.filter && !snap.nextBefore;
  return (
    <div class={styles.page} data-detail-open={requestId ? '' : undefined}>
      <BinHeader
        bin={bin}
        reachability={reachability}
        status={snap.status}
        count={bin.requestCount}
        setupOpen={setupOpen}
        compact={requestId !== null}
        onToggleSetup={() => setSetupOpen(!setupOpen)}
        onRetry={() => session.retryNow()}
        onClear={() => session.clear().then(() => requestId && open(null))}
        onHelp={() => setHelpOpen(true)}
        onSettings={(tab = 'general') => setPanel({ kind: 'settings', tab })}
        onSend={() => setPanel({ kind: 'send' })}
      />
      {snap.gone && (
        <p role="alert" class={styles.alert}>
          This bin was deleted. <Link href="/">Back to all bins</Link>
        </p>
      )}
      {snap.notice && (
        <p role="alert" class={styles.alert}>
          {snap.notice}{' '}
          <button type="button" data-variant="quiet" onClick={() => session.dismissNotice()}>
            Dismiss
          </button>
        </p>
      )}
      {snap.expected.length > 0 && <ExpectedStatus binId={binId} expected={snap.expected} />}
      {setupOpen && !empty && (
        <div class={styles.setup}>
          <Snippets bin={bin} reachability={reachability} />
        </div>
      )}
      {empty ? (
        <div class={styles.emptyWrap}>
          <EmptyBin bin={bin} reachability={reachability} />
        </div>
      ) : (
        <div class={styles.split}>
          <section class={styles.listPane} aria-label="Request list">
            <FilterBox
              value={snap.filter}
              onInput={(text) => session.setFilter(text)}
              inputRef={filterRef}
              count={items.length}
              more={!!snap.nextBefore}
              loading={snap.loading}
            />
            {snap.atLimit !== null && (
              <p class={styles.limit} role="status" data-testid="bin-at-limit">
                At its limit: this bin keeps {snap.atLimit.toLocaleString('en')} request{snap.atLimit === 1 ? '' : 's'}, and each new one removes the oldest.
              </p>
            )}
            <ListTools
              binId={binId}
              filter={snap.filter}
              selecting={ticked !== null}
              selectedCount={ticked?.size ?? 0}
              shownCount={items.length}
              onSelecting={(on) => setTicked(on ? new Set() : null)}
              onSelectAll={() => setTicked(new Set(items.map((item) => item.id)))}
              onSelectNone={() => setTicked(new Set())}
              onReplay={() => setPanel({ kind: 'replay-many', requests: ticked ? items.filter((item) => ticked.has(item.id)) : [...items] })}
            />
            <RequestList
              items={items}
              selectedId={requestId}
              cursorId={cursorId}
              focusTick={focusTick}
              unread={snap.unread}
              loading={snap.loading}
              hasMore={!!snap.nextBefore}
              loadingOlder={snap.loadingOlder}
              onLoadOlder={() => void session.loadOlder()}
              filtered={!!snap.filter.trim()}
              filter={snap.filter}
              selection={ticked && { ids: ticked, toggle: toggleTick }}
            />
          </section>
          <section ref={detailPane} class={styles.detailPane} aria-label="Request detail">
            {requestId ? (
              <RequestDetailView
                key={requestId}
                session={session}
                bin={bin}
                requestId={requestId}
                unreadCount={snap.unread.size}
                onBack={() => open(null)}
                onDelete={() => remove(requestId)}
              />
            ) : (
              <div class={styles.noSelection}>
                <p>
                  Select a request to inspect it, or move with <kbd>j</kbd>/<kbd>k</kbd> and open with <kbd>Enter</kbd>. Press <kbd>?</kbd> for all shortcuts.
                </p>
                <Snippets bin={bin} reachability={reachability} />
              </div>
            )}
          </section>
        </div>
      )}
      {snap.pendingDelete && (
        <div class={styles.toast} role="status" data-testid="undo-delete">
          <span>
            Deleted <code>{snap.pendingDelete.label}</code>
          </span>
          <button type="button" onClick={() => session.undoDelete(snap.pendingDelete!.id)}>
            Undo
          </button>
        </div>
      )}
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      {panel?.kind === 'settings' && <BinSettings bin={bin} save={saveBin} tab={panel.tab} onClose={() => setPanel(null)} />}
      {panel?.kind === 'send' && (
        <Dialog title="Send a test webhook" testId="send-panel" wide onClose={() => setPanel(null)}>
          <SendPanel bin={bin} />
        </Dialog>
      )}
      {panel?.kind === 'replay-many' && <ReplayMany bin={bin} requests={panel.requests} onClose={() => setPanel(null)} />}
    </div>
  );
}
