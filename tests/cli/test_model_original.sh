#!/bin/sh
# test_model_original.sh - golden test of `pact model fit|eval --pipeline
# original`: on the fixed data set in tests/fixtures/model/original, its
# clustering features, linear coefficients, training r2 and every figure
# of the per-run tables must match the original's results, computed once
# by make_golden.py with scikit-learn, to 1e-6 relative (the issue's
# bound; the arithmetic agrees to ~1e-8).  Also: the model file records
# its basis, and predict refuses data of another counter mode or other
# power sources.  Usage: sh tests/cli/test_model_original.sh BUILD
TEST_FILE=model_original
. "$(dirname "$0")/lib.sh"
plan 25
REPO=$(cd "$(dirname "$0")/../.." && pwd)
G="$REPO/tests/fixtures/model/original"
cd "$T" || exit 1
"$PACT" model fit --pipeline original -o m.txt "$G/train" >fit.out \
    2>fit.err
check fit_exit test $? = 0
"$PACT" model eval -m m.txt --out res "$G/test" >eval.out 2>eval.err
check eval_exit test $? = 0
/usr/bin/python3 "$REPO/tests/cli/original_check.py" "$G/expected.txt" \
    fit.out m.txt res
# The same on runs of a machine without a GPU (constant GPU features).
"$PACT" model fit --pipeline original -o mc.txt "$G/cpu/train" \
    >fitc.out 2>fitc.err
check cpu_fit_exit test $? = 0
"$PACT" model eval -m mc.txt --out resc "$G/cpu/test" >evalc.out \
    2>evalc.err
check cpu_eval_exit test $? = 0
/usr/bin/python3 "$REPO/tests/cli/original_check.py" \
    "$G/cpu/expected.txt" fitc.out mc.txt resc cpu_
check cpu_basis_recorded grep -q \
    '^basis pipeline=original counter_mode=pact subtracted=Intel_RAPL_Power(W)$' mc.txt
check basis_recorded grep -q \
    '^basis pipeline=original counter_mode=pact subtracted=Nvidia_SMI_Power(W),Intel_RAPL_Power(W)$' m.txt

# A window-count CSV (counter_mode column) against this running-sum model.
awk -F, 'NR==1{print $0",total_power_w,counter_mode"; next}
         {print $0",,window"}' "$G/test/mix_1_PACT.csv" >window.csv
"$PACT" model predict -m m.txt -o p.csv window.csv 2>pred.err
rc=$?
check predict_refuses_counter_mode test "$rc" = 1
check predict_says_counter_mode grep -q "counter mode 'pact'" pred.err
# A run without RAPL values against a model that subtracted RAPL.
awk -F, 'BEGIN{OFS=","} NR==1{print; next} {$6=""; print}' \
    "$G/test/mix_1_PACT.csv" >norapl_PACT.csv
"$PACT" model predict -m m.txt -o p2.csv norapl_PACT.csv 2>pred2.err
rc=$?
check predict_refuses_missing_rapl test "$rc" = 1
check predict_names_rapl grep -q "Intel_RAPL_Power(W)" pred2.err
"$PACT" model predict -m m.txt -o p3.csv "$G/test/mix_1_PACT.csv" \
    2>pred3.err
check predict_same_basis test $? = 0
# run --model: the model holds running-total sums at a 0.01 s perf period.
"$PACT" run -q --psu none --model m.txt -o r1.csv -- true 2>run1.err
rc=$?
check run_refuses_window_mode test "$rc" != 0
check run_says_counter_mode grep -q "counter mode 'pact'" run1.err
"$PACT" run -q --psu none --counter-mode pact --perf-period 0.02 \
    --model m.txt -o r2.csv -- true 2>run2.err
rc=$?
check run_refuses_perf_period test "$rc" != 0
check run_says_perf_period grep -q "perf period 0.01 s" run2.err
# The original's steps are fixed: a switch that would change them is
# refused rather than silently ignored.
"$PACT" model fit --pipeline original --split 0.5 -o x.txt "$G/train" \
    2>split.err
rc=$?
check refuses_split test "$rc" = 2
check refusal_names_option grep -q "drop --split" split.err
