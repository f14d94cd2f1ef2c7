-- Shared by every scenario: per-thread input lines and a machine-readable summary for bench/run.
-- BENCH_INPUT: a file of input lines; thread i gets line (i mod n) (tokens, ids, ...), fields split by spaces, and
-- its number i as `index` (so threads given the same line can still seed their random numbers differently).
-- BENCH_RESULT: where done() writes "requests rps p50_ms p99_ms errors".

local lines = {}
local input = os.getenv("BENCH_INPUT")
if input then
  for line in io.lines(input) do
    if line ~= "" then lines[#lines + 1] = line end
  end
end

local counter = 0
threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("index", counter)
  if #lines > 0 then
    thread:set("line", lines[(counter % #lines) + 1])
  end
  counter = counter + 1
end

function fields(text)
  local out = {}
  for word in string.gmatch(text or "", "%S+") do out[#out + 1] = word end
  return out
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  local f = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  f:write(string.format("%d %.1f %.3f %.3f %d\n", summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
  f:close()
end
