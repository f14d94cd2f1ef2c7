-- Password grant. Input line: "username password"; each thread logs in as its own user.
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local body
function init(args)
  local f = fields(line)
  body = "grant_type=password&client_id=openapi&username=" .. f[1] .. "&password=" .. f[2]
end
function request()
  return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
