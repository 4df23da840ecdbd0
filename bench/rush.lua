-- wrk script for the deadline rush: every request submits a bid for the next provider in
-- TOKENS (one token per line), round robin, on the call in RUSH_CALL with lines RUSH_LINES.
-- Counts acknowledged submissions (no GraphQL error) and prints JSON at the end.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do table.insert(tokens, line) end
local call = os.getenv("RUSH_CALL")
local l1, l2 = os.getenv("RUSH_LINE1"), os.getenv("RUSH_LINE2")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args) n = offset; acked = 0; refused = 0 end

function request()
  n = n + 1
  local token = tokens[(n % #tokens) + 1]
  local price = 40 + (n % 10)
  local body = string.format('{"query":"mutation($i:SubmitBidInput!){ submitBid(input:$i){ version } }","variables":{"i":{"callId":"%s","lines":[{"callLineId":"%s","unitPrice":"%d.50"},{"callLineId":"%s","unitPrice":"30"}],"annualTurnover":"5000000","equityRatio":"0.4","creditRating":"AA","capabilityResponses":[],"qualityResponses":[]}}}', call, l1, price, l2)
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function response(status, headers, resp)
  if status == 200 and not string.find(resp, '"errors"', 1, true) then acked = acked + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do a = a + (t:get("acked") or 0); r = r + (t:get("refused") or 0) end
  io.write(string.format('JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"acknowledged":%d,"refused":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, a, r))
end
