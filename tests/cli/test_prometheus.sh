#!/bin/sh
# test_prometheus.sh - the exporter against Debian's real Prometheus: two
# `pact monitor --listen` exporters on RAPL fixtures of known power (node
# A 42 W, node B 20 W), labelled node=nodeA/nodeB and one Slurm job id,
# scraped every second by a Prometheus started here on 127.0.0.1.  Checks
# the rates, the job sum, promtool's lint, a source going down (counters
# stay monotonic), the Grafana dashboard's queries, OpenMetrics
# negotiation, 404/405, the --textfile file through node_exporter, and
# bad --listen values.  Every process is stopped by pid at exit.
TEST_FILE=tests/cli/test_prometheus.sh
. tests/cli/lib.sh
plan 68
. tests/cli/fleet_fixture.sh

# ---- Bad input (no Prometheus needed) ----
for bad in "" "abc" "0" "70000" "127.0.0.1:" "1.2.3.4.5:9000" "nohost.invalid:9000"; do
    "$PACT" monitor -q -o "" --duration 1 --listen "$bad" 2>"$T/bad" >/dev/null
    rc=$?
    check "bad_listen_rejected[$bad]" [ $rc = 2 ]
    check "bad_listen_one_line[$bad]" [ "$(wc -l <"$T/bad")" = 1 ]
    check "bad_listen_says_listen[$bad]" grep -q -- "--listen" "$T/bad"
done
"$PACT" stress --listen 9999 "$T/noplan" 2>"$T/stress"
check stress_listen_refused sh -c "[ $? = 2 ] && grep -q 'pact stress: --listen is for run, monitor and serve' '$T/stress'"
BUSY=$(free_port)
bg $PY -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',$BUSY)); s.listen(1); time.sleep(60)"
busy_pid=$LAST
sleep 0.5
"$PACT" monitor -q -o "$T/busy.csv" --duration 1 --listen 127.0.0.1:$BUSY 2>"$T/busy"
rc=$?
check busy_port_exit [ $rc = 2 ]
check busy_port_names_port grep -q "port $BUSY: Address already in use" "$T/busy"
check busy_port_one_line [ "$(wc -l <"$T/busy")" = 1 ]
kill $busy_pid 2>/dev/null

# ---- pact run --listen: the command itself scrapes its tracker ----
# (after the 2 s liveness check, which holds the first rows until the
# run's basis is chosen: docs/energy.md)
PR=$(free_port)
"$PACT" run -q -e faults --measure-period 0.2 -o "$T/run.csv" --listen 127.0.0.1:$PR -- \
    $PY -c "import time,urllib.request; time.sleep(2.6); print(urllib.request.urlopen('http://127.0.0.1:$PR/metrics').read().decode())" \
    >"$T/run.metrics" 2>/dev/null
check run_listen_serves_metrics grep -q "^pact_windows_total{.*} [1-9]" "$T/run.metrics"
# pact serve: monitor as a daemon, no CSV unless -o.
PS=$(free_port)
mkdir "$T/serve" && (cd "$T/serve" && "$PACT" serve -q -e faults --duration 3 --listen 127.0.0.1:$PS 2>/dev/null) &
serve_pid=$!
wait_http "http://127.0.0.1:$PS/metrics" 10
check serve_answers [ $? = 0 ]
wait $serve_pid
check serve_exit_status [ $? = 0 ]
check serve_writes_no_csv [ -z "$(ls "$T/serve")" ]

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    skip prometheus "Debian's prometheus is not installed (scripts/deps.sh installs it)"
    exit 0
fi
if [ ! -x "$CTR" ]; then
    skip prometheus "helper rapl_counter not built"
    exit 0
fi

# ---- Two fixture nodes and their exporters ----
P=0.25 # measure period, s: the exporter's freshness
W_A=42 W_B=20
node_fixture "$T/nodeA"; PKG_A=$PKG; DRAM_A=$DRAM
node_fixture "$T/nodeB"; PKG_B=$PKG; DRAM_B=$DRAM
# DRAM at 0 W: the total is the package's power whichever way a basis
# counts DRAM.
bg "$CTR" 120 "$PKG_A" $W_A 0 $RAPL_MAX "$DRAM_A" 0 0 $RAPL_MAX
bg "$CTR" 120 "$PKG_B" $W_B 0 $RAPL_MAX "$DRAM_B" 0 0 $RAPL_MAX
ctr_b=$LAST
sleep 0.3
PA=$(free_port); PB=$(free_port); PP=$(free_port); PN=$(free_port)
mkdir "$T/tf"
bg env SLURM_JOB_ID=4242 "$PACT" monitor -q --no-estimate --sysroot "$T/nodeA" \
    -o "$T/a.csv" --measure-period $P --duration 120 \
    --listen 127.0.0.1:$PA --label node=nodeA --textfile "$T/tf" 2>"$T/a.err"
bg env SLURM_JOB_ID=4242 "$PACT" monitor -q --no-estimate --sysroot "$T/nodeB" \
    -o "$T/b.csv" --measure-period $P --duration 120 \
    --listen 127.0.0.1:$PB --label node=nodeB 2>"$T/b.err"
cat >"$T/prom.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: pact
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs:
      - targets: ['127.0.0.1:$PA', '127.0.0.1:$PB']
YML
bg prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address=127.0.0.1:$PP --log.level=error
PROM=http://127.0.0.1:$PP
wait_http "$PROM/-/ready" 60
check prometheus_ready [ $? = 0 ]
wait_http "http://127.0.0.1:$PA/metrics" 20
check exporter_a_up [ $? = 0 ]

# q EXPR [TIME]: an instant query; prints "labels value" lines, sorted.
q() {
    $PY - "$PROM" "$1" "${2:-}" <<'PYEOF'
import json, sys, urllib.parse, urllib.request
prom, expr, t = sys.argv[1:4]
args = {"query": expr}
if t:
    args["time"] = t
u = prom + "/api/v1/query?" + urllib.parse.urlencode(args)
d = json.load(urllib.request.urlopen(u, timeout=10))
if d["status"] != "success":
    print("ERROR", d.get("error")); sys.exit(1)
for r in sorted(d["data"]["result"], key=lambda r: sorted(r["metric"].items())):
    m = ",".join("%s=%s" % kv for kv in sorted(r["metric"].items()))
    print("%s %s" % (m or "-", r["value"][1]))
PYEOF
}
# wait_query EXPR SECONDS: until EXPR returns a non-empty result.
wait_query() {
    end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -lt $end ]; do
        [ -n "$(q "$1" 2>/dev/null)" ] && return 0
        sleep 0.5
    done
    return 1
}
# Enough scrapes of both nodes for a 10 s rate: 12 samples each.
wait_query 'count(count_over_time(pact_total_energy_joules_total[30s]) >= 12) == 2' 90
check scraped_both_nodes [ $? = 0 ]
T1=$(date +%s.%N)
RATE='rate(pact_total_energy_joules_total[10s])'
q "sum by (node) ($RATE)" "$T1" >"$T/rates"
sed 's/^/  /' "$T/rates"
q "sum by (job_id) ($RATE)" "$T1" >"$T/jobrate"
sed 's/^/  /' "$T/jobrate"

# Tolerance: each sample lags the truth by 0..P (one window, plus up to
# 50 ms for the scrape), so the difference of the two samples rate()
# uses is off by < P + 0.05 s of power over >= 8 s (a 10 s range less
# one scrape interval at each end): |err| <= W (P + 0.05) / 8, plus
# 0.2 W for the fixture's 1 ms rewrite steps and RAPL rounding.
near() { # FILE KEY WANT TOL
    $PY - "$@" <<'PYEOF'
import sys
f, key, want, tol = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
vals = [float(l.split()[1]) for l in open(f) if l.split()[0] == key]
print("  %s: %s (want %g +- %g)" % (key, vals, want, tol))
sys.exit(0 if len(vals) == 1 and abs(vals[0] - want) <= tol else 1)
PYEOF
}
TOL_A=$($PY -c "print($W_A * ($P + 0.05) / 8 + 0.2)")
TOL_B=$($PY -c "print($W_B * ($P + 0.05) / 8 + 0.2)")
check rate_node_a_is_true_power near "$T/rates" node=nodeA $W_A "$TOL_A"
check rate_node_b_is_true_power near "$T/rates" node=nodeB $W_B "$TOL_B"
check job_sum_is_sum_of_truths near "$T/jobrate" job_id=4242 $((W_A + W_B)) \
    "$($PY -c "print($TOL_A + $TOL_B)")"
SUM_NODES=$(awk '{s += $2} END {printf "%.9f", s}' "$T/rates")
check job_sum_equals_node_sum near "$T/jobrate" job_id=4242 "$SUM_NODES" 1e-6

# ---- The exposition itself ----
$PY - "http://127.0.0.1:$PA/metrics" "$T" <<'PYEOF'
import sys, urllib.request
u, t = sys.argv[1], sys.argv[2]
def get(accept=None, method="GET", url=u):
    req = urllib.request.Request(url, method=method)
    if accept:
        req.add_header("Accept", accept)
    try:
        r = urllib.request.urlopen(req, timeout=5)
        return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()
s, ct, body = get()
open(t + "/text.prom", "w").write(body)
open(t + "/text.ct", "w").write(ct + "\n")
s, ct, body = get("application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
open(t + "/om.prom", "w").write(body)
open(t + "/om.ct", "w").write(ct + "\n")
base = u.rsplit("/", 1)[0]
for name, (m, path) in {"post": ("POST", "/metrics"), "put": ("PUT", "/"),
                        "missing": ("GET", "/nope"), "root": ("GET", "/"),
                        "head": ("HEAD", "/metrics")}.items():
    s, ct, body = get(method=m, url=base + path)
    open("%s/http_%s" % (t, name), "w").write("%d\n%s" % (s, body))
PYEOF
check text_content_type grep -q "^text/plain; version=0.0.4" "$T/text.ct"
check openmetrics_content_type grep -q "^application/openmetrics-text; version=1.0.0" "$T/om.ct"
check openmetrics_ends_with_eof [ "$(tail -n 1 "$T/om.prom")" = "# EOF" ]
check openmetrics_counter_family grep -q "^# TYPE pact_total_energy_joules counter" "$T/om.prom"
check text_counter_family grep -q "^# TYPE pact_total_energy_joules_total counter" "$T/text.prom"
check labels_on_series grep -q 'pact_total_energy_joules_total{basis="[a-z_]*",job_id="4242",node="nodeA"' "$T/text.prom"
check help_says_estimated grep -q "^# HELP pact_co2_grams_total .*estimated" "$T/text.prom"
check help_says_measured grep -q "^# HELP pact_energy_joules_total .*Measured" "$T/text.prom"
check post_is_405 [ "$(head -n 1 "$T/http_post")" = 405 ]
check put_is_405 [ "$(head -n 1 "$T/http_put")" = 405 ]
check unknown_path_is_404 [ "$(head -n 1 "$T/http_missing")" = 404 ]
check head_is_200 [ "$(head -n 1 "$T/http_head")" = 200 ]
check landing_page_links_metrics grep -q 'href="/metrics"' "$T/http_root"
promtool check metrics <"$T/text.prom" >"$T/lint" 2>&1
rc=$?
sed 's/^/  promtool: /' "$T/lint"
check promtool_check_metrics_clean sh -c "[ $rc = 0 ] && [ ! -s '$T/lint' ]"

# ---- --textfile through node_exporter's textfile collector ----
check textfile_written [ -s "$T/tf/pact.prom" ]
promtool check metrics <"$T/tf/pact.prom" >"$T/tflint" 2>&1
check textfile_promtool_clean sh -c "[ $? = 0 ] && [ ! -s '$T/tflint' ]"
if command -v prometheus-node-exporter >/dev/null; then
    bg sh -c 'exec prometheus-node-exporter "$@" 2>/dev/null' ne --collector.disable-defaults --collector.textfile \
        --collector.textfile.directory="$T/tf" --web.listen-address=127.0.0.1:$PN
    wait_http "http://127.0.0.1:$PN/metrics" 20
    $PY -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())" \
        "http://127.0.0.1:$PN/metrics" >"$T/ne.txt" 2>/dev/null
    check node_exporter_serves_textfile grep -q '^pact_total_energy_joules_total{basis="[a-z_]*",job_id="4242",node="nodeA"}' "$T/ne.txt"
    check node_exporter_no_textfile_error sh -c "! grep -q '^node_textfile_scrape_error 1' '$T/ne.txt'"
else
    skip node_exporter_serves_textfile "prometheus-node-exporter not installed"
fi

# ---- Grafana dashboard: every PromQL expression parses and has data ----
$PY - contrib/grafana/pact.json >"$T/exprs" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
def panels(ps):
    for p in ps:
        yield p
        yield from panels(p.get("panels", []))
for p in panels(d["panels"]):
    for i, t in enumerate(p.get("targets", [])):
        e = t["expr"].replace("$__rate_interval", "10s").replace("$__range", "30s")
        for v in ("$node", "$job_id", "$source"):
            e = e.replace(v, ".*")
        print("%s#%d\t%s" % (p["title"].replace(" ", "_"), i, e))
PYEOF
check dashboard_has_queries [ "$(wc -l <"$T/exprs")" -ge 4 ]
while IFS="$(printf '\t')" read -r name expr; do
    q "$expr" "$T1" >"$T/dq" 2>&1
    rc=$?
    check "dashboard_query[$name]" sh -c "[ $rc = 0 ] && [ -s '$T/dq' ] && ! grep -q '^ERROR' '$T/dq'"
done <"$T/exprs"

# ---- Node B's source goes down: counters stay monotonic ----
kill $ctr_b 2>/dev/null
rm -f "$PKG_B" "$DRAM_B"
wait_query 'pact_source_up{node="nodeB",source="rapl"} == 0' 30
check source_down_seen [ $? = 0 ]
sleep 3
T2=$(date +%s.%N)
$PY - "$PROM" "$T1" "$T2" <<'PYEOF' >"$T/mono"
import json, sys, urllib.parse, urllib.request
prom, t1, t2 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
for expr in ('pact_total_energy_joules_total{node="nodeB"}',
             'pact_energy_joules_total{node="nodeB",component="package"}'):
    u = prom + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": t1 - 20, "end": t2, "step": "0.5"})
    d = json.load(urllib.request.urlopen(u, timeout=10))
    for r in d["data"]["result"]:
        v = [float(x[1]) for x in r["values"]]
        ok = len(v) >= 20 and all(b >= a for a, b in zip(v, v[1:]))
        print("%s %d %s first=%.3f last=%.3f" % (expr.split("{")[0], len(v), "monotonic" if ok else "NOT-monotonic", v[0], v[-1]))
PYEOF
sed 's/^/  /' "$T/mono"
check total_counter_monotonic_across_source_down grep -q "^pact_total_energy_joules_total .* monotonic" "$T/mono"
check channel_counter_monotonic_across_source_down grep -q "^pact_energy_joules_total .* monotonic" "$T/mono"
RESETS=$(q 'sum(resets(pact_total_energy_joules_total[2m])) + sum(resets(pact_energy_joules_total[2m]))' "$T2" 2>/dev/null | awk '{print $2}')
check no_counter_resets [ "$RESETS" = 0 ]
