-- The no-op ceiling: GET /health/live of the same server (no database, no auth).
dofile(os.getenv("BENCH_WRK") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/health/live"
