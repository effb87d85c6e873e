#!/bin/sh
# test_report.sh - `pact report` end to end on runs this script makes: a
# pact run on a sysfs RAPL fixture (42 W package, 3 W DRAM) with its
# summary JSON, a short pact stress plan on the same fixture, and a model
# eval.  Headless Chromium (Debian chromium) loads each page: its DOM must
# hold every chart and series, tiles equal to the summary JSON, bars and
# tables equal to sums this script takes from the CSVs itself; a screenshot
# is not blank and is the same twice.  Also: no http(s) reference, the
# original 12-column CSV, a 200 000-row CSV whose one-row spike survives
# downsampling, bad input (one-line errors), and --figures PNG/SVG/PDF.
TEST_FILE=tests/cli/test_report.sh
. tests/cli/lib.sh
plan 58
PY=/usr/bin/python3
DOM="$PY $PWD/tests/cli/report_dom.py"
CTR="$B/tests/helpers/rapl_counter"
MAX=262143328850
CPID=
trap 'if [ -n "$CPID" ]; then kill -KILL -- "-$CPID" 2>/dev/null; fi; rm -rf "$T"' EXIT

# A powercap tree laid out as the kernel does (as in test_rapl.sh).
powercap() { powercap_tree "$1"; } # ROOT

CHROME=$(command -v chromium || command -v chromium-browser)
# browser dom|shot OUT PAGE: Chromium in its own process group, bounded by
# a timeout, killed by its group id whatever happens.
browser() {
    rm -rf "$T/ud"
    mkdir -p "$T/ud"
    sb=
    [ "$(id -u)" = 0 ] && sb=--no-sandbox
    if [ "$1" = dom ]; then
        setsid timeout -s KILL 90 "$CHROME" --headless $sb --disable-gpu \
            --user-data-dir="$T/ud" --dump-dom "file://$3" >"$2" 2>"$T/chrome.err" &
    else
        setsid timeout -s KILL 90 "$CHROME" --headless $sb --disable-gpu \
            --hide-scrollbars --force-device-scale-factor=1 \
            --user-data-dir="$T/ud" --window-size=1200,1600 \
            --screenshot="$2" "file://$3" >/dev/null 2>"$T/chrome.err" &
    fi
    CPID=$!
    wait "$CPID"
    rc=$?
    kill -KILL -- "-$CPID" 2>/dev/null
    CPID=
    [ $rc = 0 ] && [ -s "$2" ]
}
offline() { ! grep -Eq 'https?://' "$1"; }
one_line() { [ "$(wc -l <"$1")" = 1 ]; }

if [ ! -x "$CTR" ]; then
    skip report "helper rapl_counter not built"
    exit 0
fi

# ---- A run on the RAPL fixture, with its summary ----
R="$T/root"
powercap "$R"
"$CTR" 30 "$PKG" 42 0 $MAX "$DRAM" 3 0 $MAX &
wp=$!
sleep 0.2
"$PACT" run -q --sysroot "$R" --measure-period 0.2 -o "$T/run.csv" \
    --summary-json "$T/run.json" -- sleep 2 2>/dev/null
check run_made [ -s "$T/run.json" ]

# The plan, while the fixture keeps counting.
cat >"$T/plan.csv" <<'PLAN'
name,trial#,cmd
idle,1,sleep 0.6
idle,2,sleep 0.8
spin,1,sleep 0.5
spin,2,sleep 0.7
spin,3,sleep 0.9
PLAN
(cd "$T" && "$PACT" stress --cooldown 0 --measure-period 0.1 \
    --perf-period 0.05 --no-status --sysroot "$R" -o "$T/PLAN" plan.csv \
    >/dev/null 2>&1)
kill "$wp" 2>/dev/null
wait "$wp" 2>/dev/null

# Regions and a gap: the same run with a region named on rows 2-4 and
# basis_gap set on row 6 (the columns pact and its decorator write).
$PY - "$T/run.csv" "$T/marked.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
h = rows[0]
if "basis_gap" not in h:
    h.append("basis_gap")
    for r in rows[1:]:
        r.append("0")
reg, gap = h.index("region"), h.index("basis_gap")
run = h.index("counter_running_pct")
for i, r in enumerate(rows[1:]):
    r[reg] = "phase-a" if 2 <= i <= 4 else ""
    r[gap] = "1" if i == 6 else "0"
    if i < 5:  # as if the counters were multiplexed at first
        r[run] = "%.1f" % (40 + 5 * i)
csv.writer(open(sys.argv[2], "w", newline="")).writerows(rows)
EOF

"$PACT" report "$T/run.csv" "$T/run.json" -o "$T/run.html" 2>"$T/err"
check report_run_exit_0 [ $? = 0 ]
check report_run_offline offline "$T/run.html"
"$PACT" report --summary-json "$T/run.json" "$T/marked.csv" \
    -o "$T/marked.html" 2>/dev/null
check report_marked_exit_0 [ $? = 0 ]

if [ -z "$CHROME" ]; then
    skip report_browser "chromium not installed (scripts/deps.sh installs it)"
else
    browser dom "$T/run.dom" "$T/run.html"
    check browser_dom_dumped [ -s "$T/run.dom" ]
    check dom_power_chart $DOM charts "$T/run.dom" \
        "power=rapl_package0_w+rapl_dram0_w+total" "energy=rapl_package0_w+rapl_dram0_w"
    check dom_tiles_equal_summary $DOM tiles "$T/run.dom" "$T/run.json"
    check dom_bar_package_energy $DOM bar "$T/run.dom" energy rapl_package0_w \
        "$T/run.csv" rapl_package0_w
    check dom_bar_dram_energy $DOM bar "$T/run.dom" energy rapl_dram0_w \
        "$T/run.csv" rapl_dram0_w
    # The fixture's truth: the package bar is 42 W x the run's length, within
    # the 1.5 W per-row tolerance test_rapl.sh states for this fixture.
    check package_energy_near_truth $PY -c "
import csv, re, sys
d = sum(float(r['duration(s)']) for r in csv.DictReader(open('$T/run.csv')))
dom = open('$T/run.dom').read()
m = re.search(r'data-value=\"([0-9.e+-]+)\"><title>rapl_package0_w', dom)
sys.exit(0 if m and abs(float(m.group(1)) - 42 * d) <= 1.5 * d else 1)"
    check dom_window_clock_jitter $DOM jitter "$T/run.dom" "$T/run.csv"
    browser dom "$T/marked.dom" "$T/marked.html"
    check dom_region_shaded $DOM shade "$T/marked.dom" power region phase-a
    check dom_gap_marked $DOM shade "$T/marked.dom" power gap "basis interpolated"
    check dom_multiplexing $DOM multiplex "$T/marked.dom" "$T/marked.csv"

    browser shot "$T/shot1.png" "$T/run.html"
    check screenshot_taken [ -s "$T/shot1.png" ]
    check screenshot_not_blank $DOM shot "$T/shot1.png" 1200 1600 50
    browser shot "$T/shot2.png" "$T/run.html"
    check screenshot_stable $DOM same "$T/shot1.png" "$T/shot2.png"
    # PACT_REPORT_SCREENSHOT=docs/report.png: the README's picture (the
    # run with a region and a gap marked).
    if [ -n "$PACT_REPORT_SCREENSHOT" ]; then
        browser shot "$T/doc.png" "$T/marked.html" &&
            cp "$T/doc.png" "$PACT_REPORT_SCREENSHOT"
    fi

    # ---- The plan folder ----
    "$PACT" report "$T/PLAN" -o "$T/plan.html" 2>/dev/null
    check report_plan_exit_0 [ $? = 0 ]
    browser dom "$T/plan.dom" "$T/plan.html"
    check dom_plan_charts $DOM charts "$T/plan.dom" "plan-energy=idle+spin" \
        "plan-trace-0=idle trial 1+idle trial 2" \
        "plan-trace-1=spin trial 1+spin trial 2+spin trial 3"
    check dom_plan_energy_mean_sd $DOM plan "$T/plan.dom" "$T/PLAN" idle spin
fi

# ---- A pact merge job: two fixture nodes (when this build has merge) ----
if "$PACT" merge --help >/dev/null 2>&1; then
    "$CTR" 8 "$PKG" 42 0 $MAX "$DRAM" 3 0 $MAX &
    wp=$!
    sleep 0.2
    mkdir -p "$T/nodes"
    "$PACT" run -q --sysroot "$R" --label node=nodeA --measure-period 0.5 \
        -o "$T/nodes/a.csv" -- sleep 3 2>/dev/null &
    ra=$!
    sleep 1
    "$PACT" run -q --sysroot "$R" --label node=nodeB --measure-period 0.5 \
        -o "$T/nodes/b.csv" -- sleep 1.5 2>/dev/null
    wait $ra
    kill "$wp" 2>/dev/null
    wait "$wp" 2>/dev/null
    "$PACT" merge -o "$T/job.csv" "$T/nodes" >/dev/null 2>&1
    "$PACT" report "$T/job.csv" -o "$T/job.html" 2>/dev/null
    check report_job_exit_0 [ $? = 0 ]
    check report_job_per_node $DOM job "$T/job.html" "$T/job.csv" nodeA nodeB
else
    skip report_job "this build has no 'pact merge' (branch h-fleet); the job page reads its <node>_power_w/job_power_w columns"
fi

# ---- Rows of two hosts in one CSV (long form): the run twice, as nodeA
# and, 0.5 s later, nodeB ----
$PY - "$T/run.csv" "$T/long.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
# pact writes a host column itself (the fleet labels); set it, else add it.
add = "host" not in rows[0]
h = rows[0] + ["host"] if add else rows[0]
hi = h.index("host")
t = h.index("unix_time")
out = [h]
for host, dt in (("nodeA", 0.0), ("nodeB", 0.5)):
    for r in rows[1:]:
        r2 = r + [host] if add else list(r)
        r2[hi] = host
        r2[t] = "%.6f" % (float(r[t]) + dt)
        out.append(r2)
csv.writer(open(sys.argv[2], "w", newline="")).writerows(out)
EOF
"$PACT" report "$T/long.csv" -o "$T/long.html" 2>/dev/null
check report_long_job_exit_0 [ $? = 0 ]
check report_long_job_per_host $DOM longjob "$T/long.html" "$T/long.csv"

# ---- The original tool's 12 columns only ----
cut -d, -f1-12 "$T/run.csv" >"$T/orig.csv"
"$PACT" report "$T/orig.csv" -o "$T/orig.html" 2>/dev/null
check report_original_12_columns [ $? = 0 ]
check original_energy_from_rapl_column $DOM csv_tiles "$T/orig.html" \
    "$T/orig.csv" "Intel_RAPL_Power(W)"

# ---- 200 000 rows at 10 ms with one 500 W spike ----
$PY - "$T/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("unix_time,duration(s),total_power_w,rapl_package0_w\n")
    for i in range(200000):
        p = 500.0 if i == 123457 else 40.0 + (i % 100) / 10.0
        f.write("%.6f,0.010000,%.3f,%.3f\n" % (1.7e9 + i / 100, p, p - 5))
EOF
"$PACT" report "$T/big.csv" -o "$T/big.html" 2>/dev/null
check report_big_exit_0 [ $? = 0 ]
check big_spike_survives $DOM peak "$T/big.html" power 500
check big_energy_all_rows $DOM csv_tiles "$T/big.html" "$T/big.csv" total_power_w
# 800 pixel columns: the page is bounded by them, not by the rows.
check big_page_small [ "$(wc -c <"$T/big.html")" -lt 1500000 ]

# ---- Model eval ----
run() { # NAME TRIAL ROWS LOAD (the law of test_model.sh, no GPU)
    awk -v name="$1" -v t="$2" -v rows="$3" -v load="$4" 'BEGIN {
    print "index,start_time,duration(s),Total_PSU_Power(W),Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%),GPU_Util_Memory(%),migrations,faults,cache-misses,cycles"
    for (i = 0; i < rows; i++) {
        l = load * (1 + 0.3 * sin(i / 6 + t / 2))
        mig = 20 * l + 1 + sin(i / 2); fa = 300 * l + 20 + 15 * sin(i / 5 + t)
        cm = 1e4 * l + 400 + 300 * sin(i / 7); cy = 1e6 * l + 2e4 * (1 + sin(i / 3))
        other = 30 + 0.5 * mig + 0.01 * fa + 0.002 * cm + 2e-5 * cy + sin(i * 1.7 + t)
        c = 20 + 80 * l
        printf "%d,2024-01-01 00:%02d:%02d,1.000000,%.4f,,%.3f,,", i, int(i / 60), i % 60, other + c, c
        printf ",%.2f,%.2f,%.1f,%.0f\n", mig * 100, fa * 100, cm * 100, cy * 100
    } }'
}
mkdir -p "$T/runs"
for t in 1 2 3; do
    run idle $t 60 0.05 >"$T/runs/idle_${t}_PACT.csv"
    run cpu $t 60 0.8 >"$T/runs/cpu_${t}_PACT.csv"
done
"$PACT" model fit -q --type ols -o "$T/m.txt" "$T/runs" >/dev/null 2>&1 &&
    "$PACT" model eval -q -m "$T/m.txt" --out "$T/EV" "$T/runs" >/dev/null 2>&1
check model_eval_made [ -s "$T/EV/predictions.csv" ]
"$PACT" report "$T/EV" -o "$T/eval.html" 2>/dev/null
check report_eval_exit_0 [ $? = 0 ]
check report_eval_offline offline "$T/eval.html"
if [ -n "$CHROME" ]; then
    browser dom "$T/eval.dom" "$T/eval.html"
    check dom_eval_charts_metrics $DOM eval "$T/eval.dom" "$T/EV/eval.csv" \
        "$T/EV/predictions.csv"
fi

# ---- Bad input: one line each, non-zero status ----
# Cut in the middle of row 6 (as a crash leaves it), and a row missing
# its last fields.
{ head -n 6 "$T/run.csv"; sed -n 7p "$T/run.csv" | cut -c1-25 | tr -d '\n'; } >"$T/trunc.csv"
"$PACT" report "$T/trunc.csv" -o "$T/x.html" 2>"$T/e1"
check bad_truncated_csv [ $? = 1 ]
check bad_truncated_one_line one_line "$T/e1"
check bad_truncated_says_line grep -q "the last line (7) has no end of line" "$T/e1"
{ head -n 6 "$T/run.csv"; sed -n 7p "$T/run.csv" | cut -d, -f1-9; } >"$T/short.csv"
"$PACT" report "$T/short.csv" -o "$T/x.html" 2>"$T/e4"
check bad_short_row [ $? = 1 ]
check bad_short_row_one_line one_line "$T/e4"
check bad_short_row_says grep -q "line 7 has 9 of the header's" "$T/e4"
printf 'index,start_time,duration(s),cycles\n0,x,1.0,5\n' >"$T/nopower.csv"
"$PACT" report "$T/nopower.csv" -o "$T/x.html" 2>"$T/e2"
check bad_no_power_columns [ $? = 1 ]
check bad_no_power_one_line one_line "$T/e2"
check bad_no_power_says grep -q "no power column" "$T/e2"
mkdir -p "$T/empty"
"$PACT" report "$T/empty" -o "$T/x.html" 2>"$T/e3"
check bad_empty_folder [ $? = 1 ]
check bad_empty_one_line one_line "$T/e3"
check bad_empty_says grep -q "no NAME_TRIAL_PACT.csv" "$T/e3"
check bad_no_page_left [ ! -e "$T/x.html" ]

# ---- Figures through cairo ----
magic() { # FILE HEX
    [ "$(head -c $((${#2} / 2)) "$1" | od -An -tx1 | tr -d ' \n')" = "$2" ]
}
nch=$(grep -c '<figure class="chart"' "$T/run.html")
for fmt in png svg pdf; do
    "$PACT" report "$T/run.csv" "$T/run.json" -o "$T/f.html" \
        --figures "$T/fig_$fmt" --format "$fmt" 2>/dev/null
    check "figures_${fmt}_exit_0" [ $? = 0 ]
    check "figures_${fmt}_one_per_chart" [ "$(ls "$T/fig_$fmt" | grep -c "\.$fmt$")" = "$nch" ]
done
check figure_png_magic magic "$T/fig_png/power.png" 89504e470d0a1a0a
check figure_png_not_blank $DOM shot "$T/fig_png/power.png" 1050 \
    "$($PY -c "import struct; print(struct.unpack('>I', open('$T/fig_png/power.png','rb').read()[20:24])[0])")" 50
check figure_svg_magic grep -q "<svg" "$T/fig_svg/power.svg"
check figure_pdf_magic magic "$T/fig_pdf/power.pdf" 255044462d
if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 72 -singlefile "$T/fig_pdf/power.pdf" "$T/pdfpage" 2>/dev/null
    check figure_pdf_renders $DOM shot "$T/pdfpage.png" 252 \
        "$($PY -c "import struct; print(struct.unpack('>I', open('$T/pdfpage.png','rb').read()[20:24])[0])" 2>/dev/null || echo 0)" 50
else
    skip figure_pdf_renders "pdftoppm (poppler-utils) not installed"
fi
