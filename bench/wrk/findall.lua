-- Month findAll: GET /worktimes?date=FROM_TO (first page of 100, with count). Input line: "access_token from to".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
function init(args)
  local f = fields(line)
  wrk.headers["Authorization"] = "Bearer " .. f[1]
  wrk.path = "/worktimes?date=" .. f[2] .. "_" .. f[3]
end
wrk.method = "GET"
