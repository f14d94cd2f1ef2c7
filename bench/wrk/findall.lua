-- Month findAll: GET /worktimes?date=FROM_TO (first page, default 100 rows, with count). Input line: "access_token from to".
-- BENCH_LIMIT, when set, asks for a smaller page (the same response size whatever the data size).
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
function init(args)
  local f = fields(line)
  wrk.headers["Authorization"] = "Bearer " .. f[1]
  wrk.path = "/worktimes?date=" .. f[2] .. "_" .. f[3]
  if os.getenv("BENCH_LIMIT") then wrk.path = wrk.path .. "&limit=" .. os.getenv("BENCH_LIMIT") end
end
wrk.method = "GET"
