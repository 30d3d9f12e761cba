-- wrk script for the WebhookProcessor benchmark.
--
-- Usage: wrk ... -s webhooks.lua <url> -- <bodies-prefix> [path]
-- wrk thread k loads <bodies-prefix><k>.txt: one request per line, "<X-Hub-Signature-256>\t<body>".
-- Every request is formatted once, up front, so the client spends its CPU on sending, not on Lua.
-- Threads read disjoint files, so no body is sent twice unless a thread runs out and wraps around;
-- done() reports how many requests repeated a body so the caller can tell a clean run from one that
-- needed more bodies.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local prefix = args[1]
  local path = args[2] or "/api/webhooks/whatsapp"
  reqs = {}
  local n = 0
  for line in io.lines(prefix .. id .. ".txt") do
    local tab = line:find("\t", 1, true)
    if tab then
      local headers = {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature-256"] = line:sub(1, tab - 1),
      }
      n = n + 1
      reqs[n] = wrk.format("POST", path, headers, line:sub(tab + 1))
    end
  end
  if n == 0 then
    error("no bodies in " .. prefix .. id .. ".txt")
  end
  count = n
  sent = 0
end

function request()
  sent = sent + 1
  return reqs[((sent - 1) % count) + 1]
end

function done(summary, latency, requests)
  local issued, repeated = 0, 0
  for _, thread in ipairs(threads) do
    local s = thread:get("sent") or 0
    local c = thread:get("count") or 0
    issued = issued + s
    if s > c then
      repeated = repeated + (s - c)
    end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p50_us=%d p99_us=%d max_us=%d issued=%d repeated=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, issued, repeated))
end
