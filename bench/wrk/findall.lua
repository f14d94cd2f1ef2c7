-- Month findAll: GET /worktimes?date=FROM_TO (first page, default 100 rows, with count). Input line: "access_token from to".
-- BENCH_LIMIT, when set, asks for a smaller page (the same response size whatever the data size); BENCH_SIDELOAD=true
-- adds sideload=true (the referenced users and projects of the page, one more query per target form).
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
function init(args)
  local f = fields(line)
  wrk.headers["Authorization"] = "Bearer " .. f[1]
  wrk.path = "/worktimes?date=" .. f[2] .. "_" .. f[3]
  if os.getenv("BENCH_LIMIT") then wrk.path = wrk.path .. "&limit=" .. os.getenv("BENCH_LIMIT") end
  if os.getenv("BENCH_SIDELOAD") then wrk.path = wrk.path .. "&sideload=" .. os.getenv("BENCH_SIDELOAD") end
end
wrk.method = "GET"
