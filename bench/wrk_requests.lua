-- Sends each request of a prepared file exactly once, then stops (one wrk thread, any number of connections).
--   wrk -t1 -cN -dMAXs -s wrk_requests.lua URL -- REQUESTS_FILE DONE_FILE
-- REQUESTS_FILE: one request a line, "METHOD<TAB>PATH<TAB>BEARER TOKEN (may be empty)<TAB>JSON BODY".
-- When the last response has arrived the thread writes DONE_FILE and stops; the caller ends wrk (SIGINT), which
-- prints one JSON line: wrk's figures plus the count of each status and the first error bodies.
local requests, next_request, reserved, answered, done_file, verified = {}, 1, 0, 0, nil, false
statuses, samples = {}, {}

function init(args)
  done_file = args[2]
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { ["Content-Type"] = "application/json" }
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
  if #requests == 0 then finish() end
end

function delay()
  -- wrk asks delay() before each request() of a connection: a connection sends only if a request is left for
  -- it; the others wait (never sending filler) until the last answer stops the thread.
  if reserved >= #requests then return 600000 end
  reserved = reserved + 1
  return 0
end

function request()
  -- wrk calls request() once on the first thread right after init, to check the request parses: not a send.
  if not verified then
    verified = true
    return requests[1]
  end
  local r = requests[next_request] or requests[#requests]
  next_request = next_request + 1
  return r
end

function response(status, headers, body)
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if (status < 200 or status > 299) and #samples < 5 then
    samples[#samples + 1] = key .. " " .. (body or ""):sub(1, 400)
  end
  if answered == #requests then finish() end
end

function finish()
  local f = io.open(done_file, "w")
  f:write(tostring(answered))
  f:close()
  wrk.thread:stop()
end

local thread_ref
function setup(thread) thread_ref = thread end

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

done = function(summary, latency, _)
  local e = summary.errors
  local parts = {}
  for status, n in pairs(thread_ref:get("statuses") or {}) do parts[#parts + 1] = json_string(status) .. ":" .. n end
  local texts = {}
  for _, s in ipairs(thread_ref:get("samples") or {}) do texts[#texts + 1] = json_string(s) end
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"non2xx":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,"statuses":{%s},"samples":[%s]}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    table.concat(parts, ","), table.concat(texts, ",")))
end
