-- wrk script: every wrk thread is one trainer on one keep-alive connection (run wrk with -t N -c N),
-- looping next(n) then a report of the n selected tasks x `rollouts` binary rewards with a fresh
-- batch id. Arguments after `--`: n rollouts curricula prefix run, e.g.
--   wrk -t64 -c64 -d30s -s bench/load/trainer.lua http://127.0.0.1:7394 -- 16 4 8 load-abc run1
-- Curricula <prefix>-0 .. <prefix>-(curricula-1) must exist (bench/load/run.sh creates them).
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("tid", count)
  table.insert(threads, thread)
end

function init(args)
  n = tonumber(args[1] or 16)
  rollouts = tonumber(args[2] or 4)
  local curricula = tonumber(args[3] or 8)
  local prefix = args[4] or "load"
  run = args[5] or "run"
  local cid = prefix .. "-" .. (tid % curricula)
  nextPath = "/v1/curricula/" .. cid .. "/next"
  reportPath = "/v1/curricula/" .. cid .. "/report"
  nextBody = '{"n":' .. n .. '}'
  headers = { ["Content-Type"] = "application/json" }
  phase = "next"
  ids = {}
  seq = 0
  failures = 0
  math.randomseed(tid)
end

function request()
  if phase == "next" then
    return wrk.format("POST", nextPath, headers, nextBody)
  end
  seq = seq + 1
  local parts = {}
  for i, id in ipairs(ids) do
    local r = {}
    for k = 1, rollouts do r[k] = (math.random(3) == 1) and "1" or "0" end
    parts[i] = '{"taskId":"' .. id .. '","rewards":[' .. table.concat(r, ",") .. ']}'
  end
  return wrk.format("POST", reportPath, headers,
    '{"batchId":"' .. run .. '-' .. tid .. '-' .. seq .. '","outcomes":[' .. table.concat(parts, ",") .. ']}')
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("HTTP " .. status .. ": " .. body .. "\n") end
    phase = "next"
    return
  end
  if phase == "next" then
    ids = {}
    for id in body:gmatch('"id":"([^"]+)"') do ids[#ids + 1] = id end
    phase = "report"
  else
    phase = "next"
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + (t:get("failures") or 0) end
  io.write(string.format("requests %d, non-200 %d, req/s %.0f, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, failed, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
