-- Refresh grant with rotation: each thread (one connection) follows its own chain, always sending the
-- refresh token the previous answer returned. Input line: "refresh_token".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local token
function init(args)
  token = fields(line)[1]
end
function request()
  return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&client_id=openapi&refresh_token=" .. token)
end
function response(status, headers, body)
  if status == 200 then
    token = string.match(body, '"refresh_token":"([^"]+)"') or token
  end
end
