-- Refresh grant with rotation: each thread (one connection) follows its own chain, always sending the
-- refresh token the previous answer returned. Input line: "refresh_token".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
token = nil -- global: done() reads each thread's last one with thread:get
function init(args)
  token = fields(line)[1]
end
function request()
  return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&client_id=openapi&refresh_token=" .. token)
end
function response(status, headers, body)
  if status == 200 then
    token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"') or token -- JSON may have spaces (the peer's has)
  end
end
-- Each thread's last token goes to BENCH_TOKENS_OUT: the next run (another sample) goes on from there, since
-- presenting an already rotated token again would be reuse and revoke the family.
local report = done
function done(summary, latency, requests)
  report(summary, latency, requests)
  local out = os.getenv("BENCH_TOKENS_OUT")
  if out then
    local f = assert(io.open(out, "w"))
    for _, t in ipairs(threads) do f:write(t:get("token") .. "\n") end
    f:close()
  end
end
