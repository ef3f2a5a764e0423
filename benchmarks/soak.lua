-- The request mix and the per-response check of benchmarks/soak.sh (wrk 4.1, LuaJIT).
--
--   wrk -t2 -c256 -d900s --timeout 10s -s benchmarks/soak.lua http://127.0.0.1:PORT -- QUOTA RUN [MARKER]
--
-- Every request carries a unique X-Token ("<thread>-<counter>-<RUN>"). Of every 20 requests: 2 go to
-- /soak/boom (throws: a 500 is expected), 2 to /soak/async (a Callable), 1 is POST /soak/session (writes the
-- token into the session cookie; the thread sends back the last cookie it got, so cookies are read too),
-- 15 to /soak. A 200 must carry the token read from g as its body and the raw request header as X-Echo:
-- they must be equal and look like a token of this run, else it is a mismatch (a request saw another's g).
-- Any status other than 200 and the expected 500 is counted as unexpected. Each thread stops after QUOTA
-- responses and appends a line to the file MARKER: wrk's main thread sleeps for the whole -d regardless, so
-- soak.sh sends it SIGINT once every thread has stopped. done() prints one line: SOAK {json}.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local quota = 0
local run = "run"
local marker = nil
local stopped = false
local counter = 0
local cookie = nil

-- per-thread results, read by done() through thread:get
responses = 0
ok = 0
mismatches = 0
expected500 = 0
unexpected = 0
sent_boom = 0
sent_async = 0
sent_session = 0
sent_normal = 0
kinds_normal = 0
kinds_async = 0
kinds_session = 0
samples = ""

function init(args)
   quota = tonumber(args[1] or "0")
   run = args[2] or "run"
   marker = args[3]
end

local function header(headers, name)
   return headers[name] or headers[string.lower(name)]
end

function request()
   counter = counter + 1
   local token = tid .. "-" .. counter .. "-" .. run
   local slot = counter % 20
   local headers = { ["X-Token"] = token }
   if slot < 2 then
      sent_boom = sent_boom + 1
      return wrk.format("GET", "/soak/boom", headers)
   elseif slot < 4 then
      sent_async = sent_async + 1
      return wrk.format("GET", "/soak/async", headers)
   elseif slot == 4 then
      sent_session = sent_session + 1
      if cookie then
         headers["Cookie"] = cookie
      end
      return wrk.format("POST", "/soak/session", headers, "")
   end
   sent_normal = sent_normal + 1
   return wrk.format("GET", "/soak", headers)
end

local function note(text)
   if #samples < 600 then
      samples = samples .. text .. "; "
   end
end

function response(status, headers, body)
   responses = responses + 1
   if status == 200 then
      local echo = header(headers, "X-Echo")
      local pattern = "^%d+%-%d+%-" .. run .. "$"
      if echo == nil or echo ~= body or not string.match(body, pattern) then
         mismatches = mismatches + 1
         note("echo=" .. tostring(echo) .. " body=" .. string.sub(tostring(body), 1, 60))
      else
         ok = ok + 1
      end
      local kind = header(headers, "X-Kind")
      if kind == "normal" then
         kinds_normal = kinds_normal + 1
      elseif kind == "async" then
         kinds_async = kinds_async + 1
      elseif kind == "session" then
         kinds_session = kinds_session + 1
         local set = header(headers, "Set-Cookie")
         if set then
            cookie = string.match(set, "^(session=[^;]*)") or cookie
         end
      end
   elseif status == 500 then
      expected500 = expected500 + 1
   else
      unexpected = unexpected + 1
      note("status " .. status .. " " .. string.sub(tostring(body), 1, 60))
   end
   if quota > 0 and responses >= quota and not stopped then
      stopped = true
      if marker then
         local f = io.open(marker, "a")
         f:write("stopped\n")
         f:close()
      end
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local names = { "responses", "ok", "mismatches", "expected500", "unexpected", "sent_boom", "sent_async",
                   "sent_session", "sent_normal", "kinds_normal", "kinds_async", "kinds_session" }
   local total = {}
   for _, name in ipairs(names) do
      total[name] = 0
   end
   local notes = ""
   for _, thread in ipairs(threads) do
      for _, name in ipairs(names) do
         total[name] = total[name] + (tonumber(thread:get(name)) or 0)
      end
      notes = notes .. (thread:get("samples") or "")
   end
   local parts = {}
   for _, name in ipairs(names) do
      table.insert(parts, string.format('"%s":%d', name, total[name]))
   end
   local e = summary.errors
   table.insert(parts, string.format('"requests":%d,"duration_us":%d,"socket_errors":%d,"timeouts":%d',
      summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout))
   table.insert(parts, string.format('"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f',
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
   table.insert(parts, string.format('"samples":"%s"', string.gsub(notes, '[%c"\\]', "'")))
   io.write("SOAK {" .. table.concat(parts, ",") .. "}\n")
end
