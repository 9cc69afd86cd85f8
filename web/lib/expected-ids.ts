import type { ExpectedId } from '../../shared/api-types.js';
import type { LiveEvent, RequestItem } from './types.js';

/** The bin's expected ids, each pending, arrived or overdue (GET …/expected, kept up to date live). */
export type ExpectedStates = readonly ExpectedId[];

/** Loads the states from the server (lib/api.ts's `expectedStates`). */
export type LoadExpected = () => Promise<ExpectedId[]>;

/**
 * Follows a bin's expected ids as the server judges them: loaded once, then moved along by live
 * events without reloading: a captured request whose delivery key is `job_id:<id>` or
 * `run_id:<id>` makes that id arrived (the server's rule: the first such request is the one it
 * names), `expected.overdue` makes ids overdue. It reloads when the list itself may have changed
 * (the bin's settings changed), when a request that brought an id is gone, and after each
 * hello (the stream resumed after a gap). Events that come while a
 * load is in flight are applied to its answer, so a load never undoes a newer arrival.
 */
export class ExpectedTracker {
  #states: ExpectedStates = [];
  #count = 0;
  /** Events seen while a load is in flight (null: none in flight). */
  #pending: LiveEvent[] | null = null;
  #generation = 0;
  readonly #load: LoadExpected;
  readonly #changed: (states: ExpectedStates) => void;

  constructor(load: LoadExpected, changed: (states: ExpectedStates) => void) {
    this.#load = load;
    this.#changed = changed;
  }

  get states(): ExpectedStates {
    return this.#states;
  }

  /**
   * The bin as loaded or changed (bin.updated): its ids may have been added, replaced or given new
   * deadlines, which its count alone does not tell, so the states are loaded again (bin.updated
   * comes only with a settings change).
   */
  binChanged(count: number): void {
    this.#count = count;
    if (count === 0) {
      this.#generation++;
      this.#pending = null;
      return this.#set([]);
    }
    this.#reload();
  }

  /** Loads the states again; a failure keeps what is shown (the next change tries again). */
  #reload(): void {
    if (this.#count === 0) return;
    const generation = ++this.#generation;
    this.#pending = [];
    this.#load().then(
      (states) => {
        if (generation !== this.#generation) return;
        const missed = this.#pending ?? [];
        this.#pending = null;
        this.#set(missed.reduce(applyEvent, states));
      },
      () => {
        if (generation === this.#generation) this.#pending = null;
      },
    );
  }

  /**
   * A live event: arrivals and overdue ids change the states at once. The server forgets which
   * request brought an id when that request goes (deleted, evicted, cleared), and a hello may
   * follow a gap in which an overdue push was missed: those load the states again.
   */
  onEvent(event: LiveEvent): void {
    if (this.#bringerGone(event)) return this.#reload();
    if (event.type !== 'created' && event.type !== 'expected-overdue') return;
    this.#pending?.push(event);
    const next = applyEvent(this.#states, event);
    if (next !== this.#states) this.#set(next);
  }

  #bringerGone(event: LiveEvent): boolean {
    const bringers = this.#states.flatMap((e) => (e.requestId === undefined ? [] : [e.requestId]));
    switch (event.type) {
      case 'hello':
      case 'cleared':
        return true;
      case 'deleted':
        return bringers.includes(event.id);
      case 'evicted':
        return bringers.some((id) => id < event.oldestKept);
      default:
        return false;
    }
  }

  #set(states: ExpectedStates): void {
    this.#states = states;
    this.#changed(states);
  }
}

/** The states after one live event; the same array when nothing changed. */
function applyEvent(states: ExpectedStates, event: LiveEvent): ExpectedStates {
  if (event.type === 'created') return arrived(states, event.item);
  if (event.type !== 'expected-overdue') return states;
  const overdue = new Map(event.expected.map((e) => [e.id, e]));
  if (!states.some((e) => e.state === 'pending' && overdue.has(e.id))) return states;
  return states.map((e) => (e.state === 'pending' && overdue.has(e.id) ? { ...e, ...overdue.get(e.id)!, state: 'overdue' as const } : e));
}

/** The states once `item` arrived: the expected id its delivery key names, if still waited for, is arrived with it. */
function arrived(states: ExpectedStates, item: RequestItem): ExpectedStates {
  const key = item.checks?.deliveryKey;
  const match = key ? /^(?:job_id|run_id):(.+)$/.exec(key) : null;
  if (!match) return states;
  const id = match[1]!;
  if (!states.some((e) => e.id === id && e.state !== 'arrived')) return states;
  return states.map((e) => (e.id === id && e.state !== 'arrived' ? { ...e, state: 'arrived' as const, requestId: item.id } : e));
}
