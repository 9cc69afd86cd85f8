import { script } from './scripts.js';

// The scripts behind a bin's usage on Redis (bin-usage.ts): reading it from the heads and the
// running size, and giving heads to requests stored by a version that kept none. Same KEYS and
// ARGV[1..2] as every bin script (scripts.ts).

/**
 * Returns [count, heads, size, oldest head, newest head]: the requests kept, how many have a
 * head, usage.size, and the heads of the oldest and newest request (nil when missing). When
 * count = heads, size is the bin's data size.
 */
export const READ_USAGE = script(`
local count = redis.call('ZCARD', IDS)
local size = tonumber(redis.call('HGET', USAGE, 'size') or '0')
local heads = redis.call('HLEN', HEAD)
if count == 0 then return { 0, heads, size, false, false } end
local oldest = redis.call('ZRANGE', IDS, 0, 0)[1]
local newest = redis.call('ZRANGE', IDS, -1, -1)[1]
return { count, heads, size, redis.call('HGET', HEAD, oldest), redis.call('HGET', HEAD, newest) }
`);

/**
 * ARGV[3..5]: the exclusive bound ('(<id>' or '-'), how many ids to look at, a byte budget. Finds
 * the requests stored without a head (by an earlier version), oldest first, and returns their
 * records until the budget is spent: [last id looked at ('' for none), id, record JSON, …].
 */
export const HEADLESS = script(`
local ids = redis.call('ZRANGEBYLEX', IDS, ARGV[3], '+', 'LIMIT', 0, tonumber(ARGV[4]))
local out = { ids[#ids] or '' }
local budget = tonumber(ARGV[5])
for _, id in ipairs(ids) do
  if redis.call('HEXISTS', HEAD, id) == 0 then
    local json = redis.call('HGET', REQ, id)
    if json then
      out[#out + 1] = id
      out[#out + 1] = json
      budget = budget - #json
      if budget <= 0 then
        out[1] = id
        return out
      end
    end
  end
end
return out
`);

/**
 * ARGV[3..]: id, head, summary JSON ('' for none), … Gives each request that is still
 * stored and has no head yet this head, and this summary unless it has one (the record they were
 * made from may have been replaced meanwhile: then the script that replaced it gave it both).
 * Returns how many got a head.
 */
export const INDEX_HEADS = script(`
local added = 0
for i = 3, #ARGV - 2, 3 do
  local id = ARGV[i]
  if redis.call('ZSCORE', IDS, id) and redis.call('HEXISTS', HEAD, id) == 0 then
    putHead(id, ARGV[i + 1])
    if ARGV[i + 2] ~= '' and redis.call('HEXISTS', SUM, id) == 0 then redis.call('HSET', SUM, id, ARGV[i + 2]) end
    added = added + 1
  end
end
return added
`);

/**
 * ARGV[3..]: request ids with a head. Drops the heads and summaries of those no longer stored
 * (an earlier version removed them without knowing of either). Returns how many were dropped.
 */
export const DROP_STALE_HEADS = script(`
local dropped, freed = 0, 0
for i = 3, #ARGV do
  if not redis.call('ZSCORE', IDS, ARGV[i]) then
    local cost, key = dropHead(ARGV[i])
    if key then dropped, freed = dropped + 1, freed + cost end
    redis.call('HDEL', SUM, ARGV[i])
  end
end
addSize(-freed)
return dropped
`);
