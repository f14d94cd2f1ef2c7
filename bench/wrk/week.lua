-- The web app's week page: GET /app/week?date=DATE&user=USER with a browser session's cookie (docs/webapp.md,
-- "The week page"): the week's rows with their sideloads, the daily balance and the dropdowns' options, rendered to
-- HTML. Input line: "cookie date user" (the cookie as name=value, from a login through /app/login).
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
function init(args)
  local f = fields(line)
  wrk.headers["Cookie"] = f[1]
  wrk.path = "/app/week?date=" .. f[2] .. "&user=" .. f[3]
end
wrk.method = "GET"
