// The search's pre-filter on stored text may skip parsing a request only when the request
// cannot match: checked as a property over random requests and words, and through the server.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../shared/filter.js';
import { recordMatches, storedTextPrefilter } from '../server/api/search.js';
import { toJson as redisStoredText } from '../server/store/redis/redis-store.js';
import { requestLine } from '../server/store/lowdb/segment-lines.js';
import type { StoredRequest } from '../server/store/types.js';
import { capture } from './helpers/capture.js';
import { createBin, getJson, serversClosedAfterEach } from './helpers/server.js';

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const text = fc.string({ unit: fc.constantFrom(...'aAbBkKzZ09 _-./%+:"\\\n\u00e9\u212a\u0130'.split('')), maxLength: 12 });
// Words a user may search for: mostly plain (the pre-filter's case), sometimes not.
const word = fc.oneof(fc.string({ unit: fc.constantFrom(...'abkz09_-./'.split('')), minLength: 1, maxLength: 3 }), text);

// A query as senders write it: some characters percent-encoded, letters included (searched decoded).
const query = fc
  .array(fc.tuple(fc.constantFrom(...'abkz09_-./ '.split('')), fc.boolean()))
  .map((chars) => chars.map(([c, encode]) => (encode ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c === ' ' ? '+' : c)).join(''));

const record = fc.record({
  path: text,
  queryString: fc.oneof(text, query),
  headers: fc.array(fc.tuple(text, text), { maxLength: 3 }),
  body: text,
  encoding: fc.constantFrom('utf8' as const, 'base64' as const),
});

function stored(r: { path: string; queryString: string; headers: [string, string][]; body: string; encoding: 'utf8' | 'base64' }): StoredRequest {
  return {
    id: ID,
    binId: '00000000-0000-4000-8000-000000000000',
    receivedAt: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    path: r.path,
    queryString: r.queryString,
    rawHeaders: r.headers.flat(),
    remoteAddress: null,
    contentType: null,
    size: r.body.length,
    token: 'none',
    body: { encoding: r.encoding, data: r.body },
  };
}

describe('the search pre-filter on stored text', () => {
  it('never skips a request that matches (property over random requests and words)', () => {
    let checked = 0;
    fc.assert(
      fc.property(record, fc.array(word, { minLength: 1, maxLength: 2 }), (r, words) => {
        const filter = parseFilter(words.map((w) => `"${w.replace(/"/g, '')}"`).join(' '));
        const prefilter = storedTextPrefilter(filter);
        const request = stored(r);
        if (!prefilter || !recordMatches(request, filter)) return;
        checked++;
        expect(prefilter(requestLine(request, 'r'))).toBe(true);
        expect(prefilter(redisStoredText(request))).toBe(true); // the Redis store's stored form
      }),
      { numRuns: 5000 },
    );
    expect(checked).toBeGreaterThan(100); // the property was put to the test, not skipped
  });

  it('is used only for words stored as they are', () => {
    expect(storedTextPrefilter(parseFilter('completed job_42 /webhooks/krea'))).not.toBeNull();
    expect(storedTextPrefilter(parseFilter('method:POST'))).toBeNull();
    expect(storedTextPrefilter(parseFilter('"content-type: application/json"'))).toBeNull();
    expect(storedTextPrefilter(parseFilter('caf\u00e9'))).toBeNull();
  });
});

describe('search through the server', () => {
  const start = serversClosedAfterEach();

  it('finds words in percent-encoded queries, headers and bodies whichever way they are stored, read from disk', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    const encoded = await capture(`${bin.url}/q?state=%63ompleted`);
    const header = await capture(`${bin.url}/h`, undefined, { headers: { 'X-Job-State': 'Completed' } });
    const body = await capture(`${bin.url}/b`, '{"status":"completed"}');
    await capture(`${bin.url}/other`, 'nothing to see');
    await first.stop();
    const srv = await start({ dataDir: first.dataDir }); // nothing cached: every request is read from its segment
    const found = (await getJson(`${srv.url}/api/bins/${bin.id}/requests?q=completed`)).body.requests.map((r: { id: string }) => r.id);
    expect(found).toEqual([body, header, encoded]);
  });
});
