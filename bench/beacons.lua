-- wrk script for the collector benchmark (bench/collector_load.py). Every request is a valid
-- beacon with a new event id: <run>-<thread>-4000-8000-<sequence>. Each thread has one
-- connection and waits for each answer before the next request, so the sequence is the number of
-- answers so far: answer n belongs to beacon n, and the bench checks id by id that every 204 is
-- one stored row. (wrk calls request() once more on thread 0 to check the script; that beacon is
-- never sent, and the real first one reuses its id. A beacon resent after a socket error keeps
-- its id too, as a browser's retry would: it must still be stored once.)
-- Arguments after `--`: the page origin the sites file allows, and the run id (8 hex digits).

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

-- Microseconds on the monotonic clock. Each beacon's latency is measured here, from the moment
-- wrk asks for the request to its answer, because wrk's own latency figures are not per
-- request when the server closes every connection (gunicorn's sync workers do): their mean
-- times the number of answers came out far above connections x duration.
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  origin, run = args[1], args[2]
  answered, statuses, refused, latencies = 0, {}, {}, {}
  headers = {["Content-Type"] = "text/plain;charset=UTF-8", ["Origin"] = origin}
  uid = string.format("%s%024x", run, thread_index)
end

function request()
  asked_at = now_us()
  local id = string.format("%s-%04x-4000-8000-%012x", run, thread_index, answered)
  local body = string.format(
    '{"v":1,"site":"bench","uid":"%s","events":[{"id":"%s","type":"page","ts":%d,' ..
    '"url":"%s/article/%d","ref":"https://www.google.com/","title":"Bench article","lang":"en-US",' ..
    '"tz":"Europe/Paris","sw":1920,"sh":1080,"attrs":{}}]}',
    uid, id, os.time() * 1000, origin, answered)
  return wrk.format("POST", "/collect", headers, body)
end

function response(status, response_headers, body)
  table.insert(latencies, math.floor(now_us() - asked_at))
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 204 then
    table.insert(refused, answered)
  end
  answered = answered + 1
end

local function json(value)
  if type(value) == "table" then
    local parts = {}
    if #value > 0 or next(value) == nil then
      for _, item in ipairs(value) do table.insert(parts, json(item)) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do table.insert(parts, json(tostring(key)) .. ":" .. json(item)) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(value) == "string" then
    return '"' .. value .. '"'
  end
  return string.format("%d", value)
end

function done(summary, latency, requests)
  local per_thread = {}
  for _, thread in ipairs(threads) do
    table.insert(per_thread, {index = thread:get("thread_index"), answered = thread:get("answered"),
                              statuses = thread:get("statuses"), refused = thread:get("refused"),
                              latencies_us = thread:get("latencies")})
  end
  io.write("BENCH_JSON ", json({
    duration_us = summary.duration, responses = summary.requests, errors = summary.errors,
    threads = per_thread,
  }), "\n")
end
