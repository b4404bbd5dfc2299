-- GET {prefix}{id} for random ids from the file named by IDS.
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local prefix = os.getenv("PREFIX")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end
