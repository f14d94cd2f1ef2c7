-- The no-op ceiling: GET /health/live of the same server (no database, no auth), or BENCH_LIVE_PATH.
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
wrk.method = "GET"
wrk.path = os.getenv("BENCH_LIVE_PATH") or "/health/live" -- a peer names its no-op differently
