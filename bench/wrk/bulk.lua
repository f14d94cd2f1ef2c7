-- Bulk update: PUT /worktimes with 100 ids of the caller's partner spread over its rows (each request a new random
-- start), changing the description. Input line: "access_token first_id count".
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local first, count, stride
local ids = 100
function init(args)
  local f = fields(line)
  wrk.headers["Authorization"] = "Bearer " .. f[1]
  wrk.headers["Content-Type"] = "application/json"
  first = tonumber(f[2])
  count = tonumber(f[3])
  stride = math.max(1, math.floor(count / ids))
  math.randomseed(os.time() * 1000 + index)
end
function request()
  local start = math.random(0, count - 1)
  local list = {}
  for k = 0, ids - 1 do
    list[#list + 1] = tostring(first + (start + k * stride) % count)
  end
  local body = '{"worktime":{"id":[' .. table.concat(list, ",") .. '],"description":"bench bulk ' .. start .. '"}}'
  return wrk.format("PUT", "/worktimes", nil, body)
end
