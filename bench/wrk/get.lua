-- Get one: GET /worktimes/ID, a random row of the caller's partner. Input line: "access_token first_id count".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local auth, first, count
function init(args)
  local f = fields(line)
  auth = "Bearer " .. f[1]
  first = tonumber(f[2])
  count = tonumber(f[3])
  math.randomseed(os.time() * 1000 + index) -- each connection its own sequence of ids
end
function request()
  return wrk.format("GET", "/worktimes/" .. (first + math.random(0, count - 1)), { ["Authorization"] = auth })
end
