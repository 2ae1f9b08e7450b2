-- Mixed read traffic for bench/soak.py: each request picks a kind of page (home, deep pages,
-- categories, posts, authors, feeds, searches) at random, then one of its addresses.
--   wrk -s bench/soak.lua http://127.0.0.1:8000 -- paths.tsv
-- paths.tsv has one "kind<TAB>path" a line (serve_site.py paths writes it).

local kinds, paths = {}, {}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local kind, path = line:match("^(%S+)\t(%S+)$")
    if kind then
      if not paths[kind] then
        paths[kind] = {}
        kinds[#kinds + 1] = kind
      end
      table.insert(paths[kind], path)
    end
  end
  file:close()
  -- Each thread its own sequence, so two threads do not ask for the same pages in step.
  math.randomseed(os.time() * 100 + thread_number)
end

function request()
  local choices = paths[kinds[math.random(#kinds)]]
  return wrk.format(nil, choices[math.random(#choices)])
end
