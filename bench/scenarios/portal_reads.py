"""Scenario 1: portal reads through the gateway vs the same read direct to the service vs a bare endpoint.

Today the only authenticated read is identity's ``GET /api/identity/v1/me`` (with a real access token). When the
portals land, add their reads to ``READS`` (teacher roster, parent "today", school dashboard).
"""

from __future__ import annotations

from bench import wrk
from bench.context import RunContext
from bench.procs import RssSampler
from bench.results import Figure, ScenarioResult
from bench.stack import IDENTITY

TITLE = "Portal reads"
READS = {IDENTITY: "/api/identity/v1/me"}
PENDING = ("teacher roster (teacher)", "parent today (parent)", "school dashboard (stats)")


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult(1, TITLE, notes=[f"not measured until their service lands: {', '.join(PENDING)}"])
    stack, opts = ctx.stack, ctx.options
    bare, gateway, identity = stack.bare(), stack.gateway(), stack.identity()
    token = stack.token()
    stack.memory["idle"] = {p.name: p.rss_mib() for p in (bare, gateway, identity)}
    with RssSampler([bare, gateway, identity]) as sampler:
        base = _load(ctx, f"{bare.url}/hello", None)
        for service, path in READS.items():
            direct = _load(ctx, f"{stack.procs[service].url}{path}", token)
            through = _load(ctx, f"{gateway.url}{path}", token)
            _report(result, f"{service} {path}", base, direct, through)
    stack.memory["under_load"] = dict(sampler.peaks)
    result.notes.append(f"wrk, 1 thread, {opts.connections} connections, {opts.seconds:g} s per target after "
                        f"{opts.warmup:g} s warm-up; gateway rate limit off (one client)")
    return result


def _load(ctx: RunContext, url: str, token: str | None) -> wrk.Load:
    opts = ctx.options
    wrk.run(url, seconds=opts.warmup, connections=opts.connections, token=token)
    load = wrk.run(url, seconds=opts.seconds, connections=opts.connections, token=token)
    if load.errors:
        raise RuntimeError(f"{url}: {load.errors} of {load.requests} requests failed")
    return load


def _report(result: ScenarioResult, read: str, base: wrk.Load, direct: wrk.Load, through: wrk.Load) -> None:
    bare_name = "bare uvicorn JSON"
    result.add(Figure("bare uvicorn JSON req/s", base.requests_per_s, "req/s"))
    result.add(Figure("bare uvicorn JSON p99", base.p99_ms, "ms"))
    result.add(Figure(f"{read} via gateway req/s", through.requests_per_s, "req/s", base.requests_per_s, bare_name,
                      "≥ 1,000 req/s and ≥ 10 % of bare"))
    result.add(Figure(f"{read} via gateway p50", through.p50_ms, "ms", base.p50_ms, bare_name))
    result.add(Figure(f"{read} via gateway p99", through.p99_ms, "ms", base.p99_ms, bare_name, "≤ 50 ms"))
    result.add(Figure(f"{read} direct req/s", direct.requests_per_s, "req/s", base.requests_per_s, bare_name))
    result.add(Figure(f"{read} direct p50", direct.p50_ms, "ms", base.p50_ms, bare_name))
    result.add(Figure(f"{read} direct p99", direct.p99_ms, "ms", base.p99_ms, bare_name))
    result.add(Figure("gateway latency overhead p50 (gateway / direct)", through.p50_ms / direct.p50_ms, "x",
                      target="≤ 1.3x"))
    result.add(Figure("gateway latency overhead p99 (gateway / direct)", through.p99_ms / direct.p99_ms, "x",
                      target="≤ 1.3x"))
