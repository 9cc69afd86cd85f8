/**
 * The Redis key layout. Everything of one bin carries the hash tag `{binId}`, so in Redis
 * Cluster a bin lives in one slot (one shard) and every script below touches keys of that one
 * slot only: each change of a bin is atomic, and no command ever crosses slots.
 *
 * | key                          | type           | holds                                                        |
 * |------------------------------|----------------|--------------------------------------------------------------|
 * | `hookscope:bins`             | set            | ids of all bins: an index for listing (a bin exists iff its `:bin` hash does) |
 * | `hookscope:sends`            | list           | the simulator's last sends as JSON, newest first (not a bin's: no hash tag) |
 * | `hookscope:session-epoch`    | string         | the access sessions' epoch (Store.sessionEpoch): logout replaces it, ending every session |
 * | `hookscope:{B}:bin`          | hash           | bin B's settings, one field per setting, each a JSON value   |
 * | `hookscope:{B}:ids`          | sorted set     | B's request ids, all with score 0: ordered by id, which is arrival order |
 * | `hookscope:{B}:req`          | hash           | request id → the stored record as JSON (without id and binId; bodies up to 64 KB inline) |
 * | `hookscope:{B}:head`         | hash           | request id → its head, `<cost> <receivedAt> <deliveryKey>` (cost: estimatedSize; key empty for none): what usage, eviction and deletion need, without the record |
 * | `hookscope:{B}:usage`        | hash           | `size`: the sum of the heads' costs, kept by the same scripts (count is ZCARD of `ids`) |
 * | `hookscope:{B}:sum`          | hash           | request id → its summary as JSON (what a list shows, without id and binId), for records of 4 KB or more, so a page does not read their bodies |
 * | `hookscope:{B}:body:<id>`    | string         | the exact bytes of a body over 64 KB, one key each           |
 * | `hookscope:{B}:dlv`          | hash           | delivery key (job_id, run_id, webhook-id) → the request that first carried it |
 * | `hookscope:{B}:last`         | string         | the newest request id B ever stored: ids only grow, across instances |
 * | `hookscope:{B}:moved`        | hash           | for duplicates racing their original: a claim holder's proposed id → the id it was stored under, and `w:<id>` → the duplicates (comma-separated) stored while holder `<id>` was not yet; short-lived |
 * | `hookscope:{B}:seq`          | hash           | scripted-response rule id → matches so far (one sequence for every instance) |
 *
 * | channel                      | kind                 | carries                                                       |
 * |------------------------------|----------------------|---------------------------------------------------------------|
 * | `hookscope:bins:changed`     | PUBLISH              | a bin id whenever that bin was created, changed or deleted (instances re-read it) |
 * | `hookscope:{B}:events`       | SPUBLISH (sharded)   | B's live events, published by the very script that makes the change, so in commit order |
 */

export const BINS_INDEX_KEY = 'hookscope:bins';
export const BINS_CHANGED_CHANNEL = 'hookscope:bins:changed';
export const SENDS_KEY = 'hookscope:sends';
export const SESSION_EPOCH_KEY = 'hookscope:session-epoch';

/** The keys of one bin, in the order every bin script takes them (KEYS[1..9]). */
export interface BinKeys {
  bin: string;
  ids: string;
  req: string;
  dlv: string;
  last: string;
  moved: string;
  /** Hash: request id → head (see the table above). */
  head: string;
  /** Hash: `size` → the sum of the heads' costs. */
  usage: string;
  /** Hash: request id → summary JSON. */
  sum: string;
  /** Prefix of the large-body keys: `<bodyPrefix><requestId>`. */
  bodyPrefix: string;
  /** The sharded channel of the bin's live events. */
  events: string;
  /** Hash: scripted-response rule id → matches so far (its sequence position). */
  seq: string;
}

export function binKeys(binId: string): BinKeys {
  const tag = `hookscope:{${binId}}:`;
  return {
    bin: `${tag}bin`,
    ids: `${tag}ids`,
    req: `${tag}req`,
    dlv: `${tag}dlv`,
    last: `${tag}last`,
    moved: `${tag}moved`,
    head: `${tag}head`,
    usage: `${tag}usage`,
    sum: `${tag}sum`,
    bodyPrefix: `${tag}body:`,
    events: `${tag}events`,
    seq: `${tag}seq`,
  };
}

/** KEYS of a bin script, in the order the scripts read them. */
export function scriptKeys(keys: BinKeys): string[] {
  return [keys.bin, keys.ids, keys.req, keys.dlv, keys.last, keys.moved, keys.head, keys.usage, keys.sum];
}
