#!/bin/sh
# test_docs_examples.sh - every example in README.md and docs/*.md that is
# a file pact reads, or Python, is extracted and run: intensity files
# (timestamp,gco2_per_kwh) through `pact run --intensity-file`, model
# files (pact-model 1) through `pact run --model`, stress plans
# (name,trial#,cmd) through pact stress's checker (a bad line is added
# at the end, so nothing runs and only that line may be reported), and
# Python blocks in a scratch directory (names the text leaves to the
# reader, such as train_one_epoch(), are stand-ins that sleep 0.1 s).
TEST_FILE=tests/cli/test_docs_examples.sh
. tests/cli/lib.sh
# An ASan build of libpact needs the sanitizer runtimes preloaded into
# the (uninstrumented) Python, as tests/run.sh does for pytest.
PYPRE=""
if grep -q libasan "$B/libpact.so" 2>/dev/null; then
    PYPRE="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
fi
pyrun() { LD_PRELOAD="$PYPRE" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$@"; }
REPO=$PWD
mkdir -p "$T/ex"
/usr/bin/python3 - "$REPO" "$T/ex" <<'PY'
import os, re, sys
repo, out = sys.argv[1], sys.argv[2]
docs = ["README.md"] + sorted("docs/" + f for f in os.listdir(repo + "/docs")
                              if f.endswith(".md"))
n = 0
for doc in docs:
    lines = open(os.path.join(repo, doc), encoding="utf-8").read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            blocks.append((m.group(1), lines[i + 1:j], i + 1))
            i = j + 1
            continue
        if lines[i].startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            j = i
            while j < len(lines) and (lines[j].startswith("    ") or
                                      not lines[j].strip()):
                j += 1
            body = [l[4:] for l in lines[i:j]]
            while body and not body[-1].strip():
                body.pop()
            blocks.append(("", body, i + 1))
            i = j
            continue
        i += 1
    for lang, body, line in blocks:
        first = next((l for l in body if l.strip() and not l.startswith("#")), "")
        kind = ("intensity" if first.startswith("timestamp,gco2_per_kwh") else
                "model" if first.startswith("pact-model ") else
                "plan" if first.startswith("name,trial#,cmd") else
                "python" if lang == "python" else None)
        if not kind:
            continue
        n += 1
        name = "%s_%s_%d.%s" % (kind, doc.replace("/", "_"), line,
                                "py" if kind == "python" else "txt")
        open(os.path.join(out, name), "w").write("\n".join(body) + "\n")
PY
found=$(ls "$T/ex" | wc -l | tr -d ' ')
# Four "has an example" checks, one per example, and a second one per plan.
plan $((4 + found + $(ls "$T/ex" | grep -c '^plan_')))
# The docs hold at least one example of each kind named above.
has() { ls "$@" >/dev/null 2>&1; }
for kind in intensity model plan python; do
    check "docs_have_${kind}_example" has "$T/ex/${kind}_"*
done
cd "$T" || exit 1
Q="-q --no-status --psu none --measure-period 0.2 --perf-period 0.1"
for f in ex/*; do
    n=$(basename "$f")
    case "$n" in
    intensity_*)
        "$PACT" run $Q --intensity-file "$f" -o out.csv -- true 2>err.txt
        check "$n" [ $? = 0 ]
        ;;
    model_*)
        "$PACT" run $Q --model "$f" -o out.csv -- true 2>err.txt
        check "$n" [ $? = 0 ]
        ;;
    plan_*)
        cp "$f" plan.csv
        printf 'zz bad line\n' >>plan.csv
        last=$(wc -l <plan.csv | tr -d ' ')
        "$PACT" stress --cooldown 0 $Q -o R plan.csv >/dev/null 2>err.txt
        check "$n" [ "$(grep -c ':[0-9]*: ' err.txt)" = 1 ]
        check "${n}_only_added_line" grep -q "plan.csv:$last: " err.txt
        ;;
    python_*)
        mkdir -p "py_$n" && cd "py_$n" || exit 1
        cat >run.py <<PYRUN
import builtins, sys, time
class G(dict):
    def __missing__(self, k):
        if hasattr(builtins, k):
            return getattr(builtins, k)
        return lambda *a, **kw: time.sleep(0.1)
src = open("$T/$f").read()
exec(compile(src, "$n", "exec"), G(__name__="__main__"))
PYRUN
        PYTHONPATH="$REPO/python" PACT_LIBRARY="$B/libpact.so" \
            pyrun timeout 120 /usr/bin/python3 run.py >out.txt 2>err.txt
        rc=$?
        check "$n" [ $rc = 0 ]
        [ $rc = 0 ] || tail -n 3 err.txt
        cd "$T" || exit 1 ;;
    esac
done
echo "# $found examples found" >&2
