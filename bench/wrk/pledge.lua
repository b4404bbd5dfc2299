-- POST /api/v1/pledges of 1 fen on a need from the file named by IDS (one line: one need).
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local body = '{"need_id":"' .. ids[math.random(#ids)] .. '","amount_fen":1}'
  return wrk.format(nil, "/api/v1/pledges", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
