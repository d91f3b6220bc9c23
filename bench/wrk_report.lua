-- wrk script shared by the benchmark and the load test (bench/load.py writes its input).
--
-- TASKBOARD_WRK_REQUESTS names a file of requests, one a line, tab-separated:
--   METHOD  PATH  HEADERS (name: value, joined by "\n" escaped as \n)  BODY
-- Each thread walks the list from its own offset, so concurrent connections spread over it;
-- a request list of one line repeats that request. TASKBOARD_WRK_ONCE=1 sends each line at
-- most once (a report must not be submitted twice), then asks /healthz once a second.
-- TASKBOARD_WRK_THINK_MS pauses each connection between requests (a person reading).
-- done() prints one JSON line: the latency percentiles, the status counts, and the ids
-- answered by 201 responses (whose body carries "id": N).

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local requests = {}
local position = 1
local once = os.getenv("TASKBOARD_WRK_ONCE") == "1"
local think = tonumber(os.getenv("TASKBOARD_WRK_THINK_MS") or "0")
statuses = {}
created = ""

function init(args)
  for line in io.lines(os.getenv("TASKBOARD_WRK_REQUESTS")) do
    local f = split(line)
    local headers = {}
    for header in ((f[3] or ""):gsub("\\n", "\n") .. "\n"):gmatch("([^\n]+)\n") do
      local name, value = header:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    local body = f[4]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(f[1], f[2], headers, body))
  end
  -- Threads start at different places so that ONCE lists are shared out, not repeated.
  local count = tonumber(os.getenv("TASKBOARD_WRK_THREADS") or "1")
  local share = math.floor(#requests / count)
  position = (index - 1) * share + 1
  last = (index == count) and #requests or index * share
end

function request()
  if once and position > last then
    -- Nothing left to send: wait, and only check the server is up.
    think = 1000
    return wrk.format("GET", "/healthz")
  end
  local chosen = requests[position]
  position = position + 1
  if position > #requests and not once then position = 1 end
  return chosen
end

function delay()
  return think
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 201 and body then
    local id = body:match('"id":%s*(%d+)')
    if id then created = created .. id .. "," end
  end
end

function done(summary, latency, requests)
  local totals, ids = {}, {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("statuses")) do
      totals[key] = (totals[key] or 0) + count
    end
    table.insert(ids, thread:get("created"))
  end
  local parts = {}
  for key, count in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', key, count))
  end
  io.write(string.format(
    'WRK-JSON {"requests": %d, "seconds": %.3f, "socket_errors": %d, "timeouts": %d, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "statuses": {%s}, "created": "%s"}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ", "), table.concat(ids, "")))
end
