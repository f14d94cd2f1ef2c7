-- GET /me. Input line: "access_token".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. fields(line)[1]
end
wrk.method = "GET"
wrk.path = "/me"
