-- wrk script for benches/load.sh: a mix of what people do on the web page, read from a
-- file of request paths (one per line; load.sh writes it: searches, facet clicks and
-- document pages). Each thread starts at another place in the list and walks it in
-- order. At the end it prints one line that load.sh records: requests, errors (socket
-- errors and answers other than 2xx/3xx), requests/s, and latency p50/p99 in ms.
local paths = {}
local next_path = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. tostring(args[1])) end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
  next_path = math.random(#paths)
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "RESULT requests=%d errors=%d (connect %d, read %d, write %d, status %d, timeout %d) " ..
    "rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, errors, e.connect, e.read, e.write, e.status, e.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
