-- wrk script: POSTs the GraphQL body in the file named by BODY (environment), counts
-- answers that carry GraphQL errors, and prints the figures as JSON at the end. With TOKEN
-- set, requests carry it as a bearer token (signed-in reads never use the public cache).
local f = assert(io.open(os.getenv("BODY"), "r"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = body
local token = os.getenv("TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0 end
function response(status, headers, resp)
  if status ~= 200 or string.find(resp, '"errors"', 1, true) then errors = errors + 1 end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do errs = errs + (t:get("errors") or 0) end
  io.write(string.format('JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"errors":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    errs, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
