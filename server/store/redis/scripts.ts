// Over 300 lines: mostly Lua, one script per Store operation on one prelude of shared helpers; apart,
// every file would need the whole key layout and prelude to be read.
import { createHash } from 'node:crypto';

/**
 * The Lua scripts behind RedisStore. Each runs atomically on the keys of one bin (one slot, see
 * keys.ts): KEYS = bin, ids, req, dlv, last, moved, head, usage, sum; ARGV[1] = the body key prefix,
 * ARGV[2] = the bin's event channel, then the script's own arguments. Events are published by the script that
 * makes the change, so subscribers see them in commit order whichever instance made them, and
 * never before the change is durable (Redis writes the AOF before any reply or message leaves).
 *
 * Usage is kept by the same scripts: every request stored gets a head (`<cost> <receivedAt>
 * <deliveryKey>`, see keys.ts) and adds its cost to `usage.size`; whatever removes or replaces a
 * head takes its cost off. So `usage.size` is always the sum of the heads' costs, and when every
 * request has a head (HLEN head = ZCARD ids) it is the bin's data size. Requests stored by a
 * version without heads get theirs once (usage-scripts.ts).
 *
 * Likewise the summary of each large record (what a list shows; summaries.ts says which are
 * large) is kept beside it, so a page of the list reads a few hundred bytes for it, not a body
 * of up to 64 KB.
 */
export interface Script {
  source: string;
  sha: string;
}

const PRELUDE = `
local BIN, IDS, REQ, DLV, LAST, MOVED, HEAD, USAGE, SUM = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local BODY, EVENTS = ARGV[1], ARGV[2]
local ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

-- Byte order, as ZRANGEBYLEX uses (Lua's < on strings follows the server's collation locale).
local function less(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = a:byte(i), b:byte(i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- The next ULID after id: the last base-32 digit plus one, carrying leftwards.
local function successor(id)
  local digits = {}
  for i = 1, #id do digits[i] = id:sub(i, i) end
  for i = #id, 1, -1 do
    local at = ALPHABET:find(digits[i], 1, true)
    if at < 32 then
      digits[i] = ALPHABET:sub(at + 1, at + 1)
      return table.concat(digits)
    end
    digits[i] = '0'
  end
  error('request id space exhausted')
end

-- A head is '<cost> <receivedAt> <deliveryKey>'; the key is last, so it may hold any byte (or none).
local function parseHead(head)
  local cost, at, key = string.match(head, '^(%d+) (%S*) (.*)$')
  return tonumber(cost) or 0, at, key or ''
end

-- Frees a delivery key the request held, so a later delivery is not called a duplicate of a gone one.
local function releaseKey(id, key)
  if key ~= '' and redis.call('HGET', DLV, key) == id then redis.call('HDEL', DLV, key) end
end

-- The same for a request stored without a head (by an earlier version): its key is in its record.
local function release(id, json)
  local ok, record = pcall(cjson.decode, json)
  if not ok or type(record) ~= 'table' or type(record.checks) ~= 'table' then return end
  local key = record.checks.deliveryKey
  if type(key) == 'string' then releaseKey(id, key) end
end

-- Adds to usage.size (one write for all a script changed: each write also goes to the AOF).
local function addSize(delta)
  if delta ~= 0 then redis.call('HINCRBY', USAGE, 'size', delta) end
end

-- Sets a request's head, keeping usage.size the sum of the heads' costs.
local function putHead(id, head)
  local old = redis.call('HGET', HEAD, id)
  redis.call('HSET', HEAD, id, head)
  addSize(parseHead(head) - (old and parseHead(old) or 0))
end

-- Removes a request's head; returns its cost, for usage.size, and its delivery key (0, nil without a head).
local function dropHead(id)
  local head = redis.call('HGET', HEAD, id)
  if not head then return 0, nil end
  local cost, _, key = parseHead(head)
  redis.call('HDEL', HEAD, id)
  return cost, key
end

-- Removes a request's record, head, summary, body key (absent for inline bodies) and delivery
-- claim; with a head, the record is not even read. Returns the head's cost (0 without one), which
-- the caller takes off usage.size.
local function forget(id)
  local cost, key = dropHead(id)
  if key then
    releaseKey(id, key)
  else
    local json = redis.call('HGET', REQ, id)
    if json then release(id, json) end
  end
  redis.call('HDEL', REQ, id)
  redis.call('HDEL', SUM, id)
  redis.call('UNLINK', BODY .. id)
  return cost
end

-- A claim holder counts while its request is stored, or while it is younger than the cut-off
-- (its capture is between claiming and storing); an older unstored one belongs to a failed capture.
local function holds(holder, staleBefore)
  return holder and (redis.call('HEXISTS', REQ, holder) == 1 or not less(holder, staleBefore))
end
`;

/** A script on one bin's keys (KEYS and ARGV[1..2] as above), with the shared helpers before it. */
export function script(body: string): Script {
  const source = `${PRELUDE}\n${body}`;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * ARGV[3..11]: proposed id, record JSON (no id/binId), '1' when the body has its own key, body
 * bytes, the cap, delivery key ('' for none), the id the record says it duplicates ('' for none),
 * the request's head (keys.ts), its summary JSON ('' to keep none).
 * Stores the request under an id newer than every id the bin ever had (the proposed one unless
 * another instance or a slower capture got ahead: then the successor of the newest, and the
 * delivery claim follows it), evicts past the cap, publishes request.created and, when the bin is
 * at its cap, requests.evicted right after it (so every instance sees them in that order, between
 * the same other events). Returns [id, duplicateOf as stored ('' for none), how many were
 * evicted, the oldest id kept when at the cap ('' below it)]. Error HOOKSCOPE_NO_BIN when the bin is gone.
 *
 * A duplicate is flagged with its original's proposed id, at claim time, before the original is
 * stored; if the original is then stored under another id, the duplicate must follow: a duplicate
 * stored after the move is pointed at the new id here, and one stored before it is recorded as
 * waiting (`w:<id>` in MOVED) and rewritten when its original is stored. Rewriting replaces the
 * exact text "duplicateOf":"<id>": JSON escapes every quote inside strings, so that text occurs
 * only as the field itself, and the rest of the record stays byte for byte.
 */
export const APPEND = script(`
if redis.call('EXISTS', BIN) == 0 then return redis.error_reply('HOOKSCOPE_NO_BIN') end
local proposed, json, key, duplicateOf, summary = ARGV[3], ARGV[4], ARGV[8], ARGV[9], ARGV[11]
local function pointAt(text, from, to)
  return (string.gsub(text, '"duplicateOf":"' .. from .. '"', '"duplicateOf":"' .. to .. '"', 1))
end
local id = proposed
local last = redis.call('GET', LAST)
if last and not less(last, id) then id = successor(last) end
if duplicateOf ~= '' and redis.call('HEXISTS', REQ, duplicateOf) == 0 then
  local movedTo = redis.call('HGET', MOVED, duplicateOf)
  if movedTo then
    json = pointAt(json, duplicateOf, movedTo)
    summary = pointAt(summary, duplicateOf, movedTo)
    duplicateOf = movedTo
  else
    local waiting = redis.call('HGET', MOVED, 'w:' .. duplicateOf)
    redis.call('HSET', MOVED, 'w:' .. duplicateOf, waiting and (waiting .. ',' .. id) or id)
  end
end
redis.call('SET', LAST, id)
redis.call('ZADD', IDS, 0, id)
redis.call('HSET', REQ, id, json)
if summary ~= '' then redis.call('HSET', SUM, id, summary) end
-- The id is new: its head is too. Its cost and the evicted ones' are added up into one write below.
redis.call('HSET', HEAD, id, ARGV[10])
local sizeDelta = parseHead(ARGV[10])
if ARGV[5] == '1' then redis.call('SET', BODY .. id, ARGV[6]) end
local waiting = redis.call('HGET', MOVED, 'w:' .. proposed)
if waiting then redis.call('HDEL', MOVED, 'w:' .. proposed) end
if key ~= '' and id ~= proposed and redis.call('HGET', DLV, key) == proposed then
  redis.call('HSET', DLV, key, id)
  -- Entries matter for the seconds a duplicate races its original: past a bound, start over.
  if redis.call('HLEN', MOVED) > 1000 then redis.call('DEL', MOVED) end
  redis.call('HSET', MOVED, proposed, id)
  if waiting then
    for dup in string.gmatch(waiting, '[^,]+') do
      local dupJson = redis.call('HGET', REQ, dup)
      if dupJson then
        dupJson = pointAt(dupJson, proposed, id)
        redis.call('HSET', REQ, dup, dupJson)
        local dupSummary = redis.call('HGET', SUM, dup)
        if dupSummary then redis.call('HSET', SUM, dup, pointAt(dupSummary, proposed, id)) end
        redis.call('SPUBLISH', EVENTS, '{"type":"request.updated","id":"' .. dup .. '","record":' .. dupJson .. '}')
      end
    end
  end
end
-- At the cap or past it: the oldest go, and the first one left is the oldest kept.
local excess = redis.call('ZCARD', IDS) - tonumber(ARGV[7])
local oldestKept = ''
if excess >= 0 then
  local oldest = redis.call('ZRANGE', IDS, 0, excess)
  for i = 1, excess do sizeDelta = sizeDelta - forget(oldest[i]) end
  if excess > 0 then redis.call('ZREMRANGEBYRANK', IDS, 0, excess - 1) end
  oldestKept = oldest[excess + 1]
end
addSize(sizeDelta)
redis.call('SPUBLISH', EVENTS, '{"type":"request.created","id":"' .. id .. '","record":' .. json .. '}')
if oldestKept ~= '' then
  redis.call('SPUBLISH', EVENTS, '{"type":"requests.evicted","oldestKept":"' .. oldestKept .. '","limit":' .. ARGV[7] .. '}')
end
return { id, duplicateOf, math.max(excess, 0), oldestKept }
`);

/**
 * ARGV[3..5]: 'newest' or 'oldest' first, the exclusive bound ('(<id>', or '+' / '-' for none),
 * how many (-1: all). Returns [id, record JSON, id, record JSON, …] read in one atomic step.
 */
export const READ = script(`
local ids
if ARGV[3] == 'newest' then
  ids = redis.call('ZREVRANGEBYLEX', IDS, ARGV[4], '-', 'LIMIT', 0, tonumber(ARGV[5]))
else
  ids = redis.call('ZRANGEBYLEX', IDS, ARGV[4], '+', 'LIMIT', 0, tonumber(ARGV[5]))
end
local out = {}
for i = 1, #ids, 500 do
  local chunk = { unpack(ids, i, math.min(i + 499, #ids)) }
  local records = redis.call('HMGET', REQ, unpack(chunk))
  for j = 1, #chunk do
    out[#out + 1] = chunk[j]
    out[#out + 1] = records[j]
  end
end
return out
`);

/** ARGV[3]: request id. Returns 1 when it was deleted (and publishes request.deleted), else 0. */
export const DELETE = script(`
if not redis.call('ZSCORE', IDS, ARGV[3]) then return 0 end
addSize(-forget(ARGV[3]))
redis.call('ZREM', IDS, ARGV[3])
redis.call('SPUBLISH', EVENTS, '{"type":"request.deleted","requestId":"' .. ARGV[3] .. '"}')
return 1
`);

/** Removes every request, body, claim, head and summary (the last id stays: ids keep growing). Returns how many. */
export const CLEAR = script(`
if redis.call('EXISTS', BIN) == 0 then return 0 end
local ids = redis.call('ZRANGE', IDS, 0, -1)
for _, id in ipairs(ids) do redis.call('UNLINK', BODY .. id) end
redis.call('UNLINK', IDS, REQ, DLV, MOVED, HEAD, USAGE, SUM)
redis.call('SPUBLISH', EVENTS, '{"type":"requests.cleared"}')
return #ids
`);

/**
 * ARGV[3..7]: request id, the record JSON it was read with, the new record JSON, its head, its
 * summary JSON ('' to keep none). A compare-and-set:
 * 1 when replaced (and request.updated published), 0 when the request is gone, -1 when it changed
 * meanwhile (the caller reads it again).
 */
export const UPDATE = script(`
local current = redis.call('HGET', REQ, ARGV[3])
if not current then return 0 end
if current ~= ARGV[4] then return -1 end
redis.call('HSET', REQ, ARGV[3], ARGV[5])
putHead(ARGV[3], ARGV[6])
if ARGV[7] == '' then redis.call('HDEL', SUM, ARGV[3]) else redis.call('HSET', SUM, ARGV[3], ARGV[7]) end
redis.call('SPUBLISH', EVENTS, '{"type":"request.updated","id":"' .. ARGV[3] .. '","record":' .. ARGV[5] .. '}')
return 1
`);

/** ARGV[3..5]: delivery key, request id, stale cut-off id. Returns the earlier holder, or nil when this request is now the holder. */
export const CLAIM = script(`
if redis.call('EXISTS', BIN) == 0 then return false end
local holder = redis.call('HGET', DLV, ARGV[3])
if holds(holder, ARGV[5]) then return holder end
redis.call('HSET', DLV, ARGV[3], ARGV[4])
return false
`);

/** ARGV[3..4]: delivery key, stale cut-off id. Returns the holder, or nil. */
export const FIND = script(`
local holder = redis.call('HGET', DLV, ARGV[3])
if holds(holder, ARGV[4]) then return holder end
return false
`);

/** ARGV[3..]: field, JSON value, field, JSON value… Patches the settings; returns them all, or nil for an unknown bin. */
export const PATCH_BIN = script(`
if redis.call('EXISTS', BIN) == 0 then return false end
if #ARGV > 2 then redis.call('HSET', BIN, unpack(ARGV, 3)) end
return redis.call('HGETALL', BIN)
`);

/** Deletes the bin and everything in it. Returns 1, or 0 when it did not exist. */
export const DELETE_BIN = script(`
if redis.call('EXISTS', BIN) == 0 then return 0 end
for _, id in ipairs(redis.call('ZRANGE', IDS, 0, -1)) do redis.call('UNLINK', BODY .. id) end
redis.call('UNLINK', BIN, IDS, REQ, DLV, LAST, MOVED, HEAD, USAGE, SUM)
return 1
`);

/**
 * ARGV[3..4]: the exclusive bound ('(<id>', or '+' for none), how many. Newest first, in one
 * atomic step: [id, summary JSON, record JSON, …], the record only for a request without a
 * kept summary (a small one, or one stored by an earlier version), the summary nil then.
 */
export const READ_SUMMARIES = script(`
local ids = redis.call('ZREVRANGEBYLEX', IDS, ARGV[3], '-', 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
for i = 1, #ids, 500 do
  local chunk = { unpack(ids, i, math.min(i + 499, #ids)) }
  local summaries = redis.call('HMGET', SUM, unpack(chunk))
  for j = 1, #chunk do
    out[#out + 1] = chunk[j]
    out[#out + 1] = summaries[j]
    if summaries[j] then out[#out + 1] = false else out[#out + 1] = redis.call('HGET', REQ, chunk[j]) end
  end
end
return out
`);

/** KEYS[1]: the sends list; ARGV[1..2]: a send as JSON, how many to keep. Adds it first and trims, in one step. */
export const ADD_SEND: Script = (() => {
  const source = `redis.call('LPUSH', KEYS[1], ARGV[1])\nredis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)`;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
})();
