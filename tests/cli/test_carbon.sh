#!/bin/sh
# test_carbon.sh - energy and carbon end to end through build/pact: the
# summary on stderr, --summary-json keys and values, --country errors, a
# malformed --intensity-file, the time-zone default on a fixture sysroot,
# and (when a RAPL driver is built in) a constant 100 W counter.
TEST_FILE=tests/cli/test_carbon.sh
. tests/cli/lib.sh
PY=/usr/bin/python3
RAMP="$B/tests/helpers/energy_ramp"
TABLE=data/carbon_intensity_by_country.csv
plan 30
need "$RAMP" "make test-progs builds it"

# Print a JSON value: jget FILE EXPR, e.g. jget s.json '["energy_j"]["total"]'
jget() { $PY -c "import json,sys; v=json.load(open(sys.argv[1]))$2; print('null' if v is None else v)" "$1"; }
# near A B TOL: |A-B| <= TOL
near() { $PY -c "import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t else 1)" "$1" "$2" "$3"; }

# ---- Constant intensity, summary text and JSON keys ----
t0=$(date +%s.%N)
"$PACT" run --carbon-intensity 500 --summary-json "$T/s.json" \
    -o "$T/a.csv" -- sleep 1 2>"$T/err"
t1=$(date +%s.%N)
check summary_on_stderr grep -q "CO2: .*500" "$T/err"
check summary_names_source grep -q "constant 500 g/kWh (--carbon-intensity)" "$T/err"
check json_parses $PY -c "import json,sys; json.load(open(sys.argv[1]))" "$T/s.json"
keys_ok() {
    $PY - "$1" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
need = ["duration_s", "energy_j", "avg_power_w", "peak_power_w", "co2_g",
        "carbon_intensity_g_per_kwh", "carbon_intensity_source",
        "psu_efficiency", "pue", "energy_uncertainty_j"]
missing = [k for k in need if k not in d]
sys.exit(1 if missing or "total" not in d["energy_j"] else 0)
PYEOF
}
check json_has_keys keys_ok "$T/s.json"
check json_intensity [ "$(jget "$T/s.json" '["carbon_intensity_g_per_kwh"]')" = 500 ]
check json_pue [ "$(jget "$T/s.json" '["pue"]')" = 1 ]
# The workload sleeps 1 s, so the run lasts at least that, and at most
# the time this script saw pact take (no band on how fast pact is).
check json_duration awk -v d="$(jget "$T/s.json" '["duration_s"]')" -v a="$t0" -v b="$t1" \
    'BEGIN{exit !(d >= 1.0 && d <= b - a)}'

# ---- Constant 100 W from a RAPL-style counter (needs the RAPL driver) ----
R="$T/root"
P="$R/sys/devices/virtual/powercap/intel-rapl/intel-rapl:0"
mkdir -p "$P" "$R/sys/class/powercap"
echo package-0 >"$P/name"
echo 262143328850 >"$P/max_energy_range_uj"
echo 1 >"$R/sys/devices/virtual/powercap/intel-rapl/enabled"
echo 1 >"$P/enabled"
echo 0 >"$P/energy_uj"
ln -s ../../devices/virtual/powercap/intel-rapl/intel-rapl:0 "$R/sys/class/powercap/intel-rapl:0"
ln -s ../../devices/virtual/powercap/intel-rapl "$R/sys/class/powercap/intel-rapl"
"$RAMP" "$P/energy_uj" 100 6 &
rp=$!
sleep 0.2
"$PACT" run -q --sysroot "$R" --no-estimate --carbon-intensity 500 \
    --summary-json "$T/r.json" -o "$T/r.csv" -- sleep 3 2>"$T/err"
wait $rp
cpu=$(jget "$T/r.json" '["cpu_energy_j"]')
dur=$(jget "$T/r.json" '["duration_s"]')
tot=$(jget "$T/r.json" '["energy_j"]["total"]')
co2=$(jget "$T/r.json" '["co2_g"]')
# 1 %: the helper rewrites energy_uj every 1 ms, so each of pact's two
# end readings can be up to 1 ms (0.1 J) stale, and the first and last
# windows' edges differ from duration_s by the sampler's wake-up latency.
check rapl_100w_energy near "$cpu" "$($PY -c "print(100*$dur)")" \
    "$($PY -c "print(0.01*100*$dur)")"
check rapl_100w_co2 near "$co2" "$($PY -c "print($tot/3.6e6*500)")" 1e-12
last=$(tail -n 1 "$T/r.csv" | $PY -c "import csv,sys; r=list(csv.reader(sys.stdin)); print(r[0][$(head -n1 "$T/r.csv" | tr ',' '\n' | grep -n '^energy_j$' | cut -d: -f1)-1])")
check csv_energy_matches_json near "$last" "$tot" 0.01

# ---- Unknown country ----
"$PACT" run -q --country XY -o "$T/a.csv" -- touch "$T/ran1" 2>"$T/err"
check unknown_country_exit [ $? = 2 ]
check unknown_country_message grep -q "unknown country 'XY': use an ISO 3166 alpha-2 code" "$T/err"
check unknown_country_how_to_find grep -q "carbon_intensity_by_country.csv" "$T/err"
check unknown_country_nothing_ran [ ! -e "$T/ran1" ]
"$PACT" run -q --country germany --summary-json "$T/de.json" -o "$T/a.csv" -- true 2>/dev/null
check country_by_name [ $? = 0 ]
# The name selects Germany's row of the table: its intensity, and CO2 =
# energy x intensity.
de=$(awk -F, '$1=="DE"{print $4}' "$TABLE")
check country_by_name_intensity near "$(jget "$T/de.json" '["carbon_intensity_g_per_kwh"]')" "$de" 1e-9
check country_by_name_co2 near "$(jget "$T/de.json" '["co2_g"]')" \
    "$($PY -c "print($(jget "$T/de.json" '["energy_j"]["total"]')/3.6e6*$de)")" 1e-12

# ---- Malformed intensity file ----
printf 'timestamp,gco2_per_kwh\n2026-11-24T13:00:00Z,300\n2026-11-24T14:00:00Z,lots\n' >"$T/bad.csv"
"$PACT" run -q --intensity-file "$T/bad.csv" -o "$T/a.csv" -- true 2>"$T/err"
check bad_series_exit [ $? = 2 ]
check bad_series_names_line grep -q "bad.csv:3: bad intensity" "$T/err"

# ---- A series covering the run ----
now=$(date +%s)
printf '%s,123\n%s,456\n' $((now - 3600)) $((now + 3600)) >"$T/good.csv"
"$PACT" run -q --intensity-file "$T/good.csv" --summary-json "$T/g.json" \
    -o "$T/a.csv" -- true 2>"$T/err"
check series_intensity awk -v v="$(jget "$T/g.json" '["carbon_intensity_g_per_kwh"]')" \
    'BEGIN { d = v - 123; exit !(v != "" && d < 1e-6 && d > -1e-6) }'
check series_source grep -q "time series good.csv (2 points)" "$T/g.json"

# ---- Time-zone default on a fixture sysroot ----
Z="$T/tz"
mkdir -p "$Z/etc" "$Z/usr/share/zoneinfo"
ln -s /usr/share/zoneinfo/Europe/Paris "$Z/etc/localtime"
printf '# fixture\nFR,MC\t+4852+00220\tEurope/Paris\n' >"$Z/usr/share/zoneinfo/zone1970.tab"
env -u TZ "$PACT" run -q --sysroot "$Z" --summary-json "$T/z.json" \
    -o "$T/a.csv" -- true 2>"$T/err"
fr=$(awk -F, '$1=="FR"{print $4}' "$TABLE")
check tz_default_country grep -q "assumed from time zone Europe/Paris" "$T/z.json"
check tz_default_intensity near "$(jget "$T/z.json" '["carbon_intensity_g_per_kwh"]')" "$fr" 1e-9
rm "$Z/etc/localtime"
ln -s /usr/share/zoneinfo/Etc/UTC "$Z/etc/localtime"
env -u TZ "$PACT" run -q --sysroot "$Z" --summary-json "$T/z.json" \
    -o "$T/a.csv" -- true 2>"$T/err"
check tz_utc_world_average [ "$(jget "$T/z.json" '["carbon_intensity_g_per_kwh"]')" = 475 ]
check tz_utc_says_so grep -q "Etc/UTC names no country" "$T/z.json"

# ---- PUE, PSU rating ----
"$PACT" run -q --pue 1.5 --psu-rating gold:850W --carbon-intensity 0 \
    --summary-json "$T/p.json" -o "$T/a.csv" -- true 2>"$T/err"
check pue_in_json [ "$(jget "$T/p.json" '["pue"]')" = 1.5 ]
"$PACT" run -q --psu-rating diamond -o "$T/a.csv" -- true 2>"$T/err"
check bad_psu_rating_exit [ $? = 2 ]
check bad_psu_rating_message grep -q "bad PSU rating 'diamond'" "$T/err"

# ---- Unwritable JSON: refused before the workload ----
"$PACT" run -q --summary-json /no/such/dir/s.json -o "$T/a.csv" -- touch "$T/ran2" 2>"$T/err"
check json_unwritable_exit [ $? = 2 ]
check json_unwritable_nothing_ran [ ! -e "$T/ran2" ]
