-- Create: POST /worktimes. Input line: "access_token user_id project_id date".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local body
function init(args)
  local f = fields(line)
  wrk.headers["Authorization"] = "Bearer " .. f[1]
  wrk.headers["Content-Type"] = "application/json"
  body = string.format('{"worktime":{"date":"%s","user":%s,"project":%s,"starttime":"08:00","endtime":"16:00","pause":30,"description":"bench"}}',
    f[4], f[2], f[3])
end
function request()
  return wrk.format("POST", "/worktimes", nil, body)
end
