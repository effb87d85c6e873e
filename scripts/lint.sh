#!/bin/sh
# lint.sh - the project's checksrc: banned calls, file headers, and
# clang-format conformance of C sources (when clang-format is present).
rc=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests tools bench -name '*.[ch]')
bad=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets)\s*\(' $files | grep -v 'snprintf\|vsnprintf')
if [ -n "$bad" ]; then echo "banned calls:"; echo "$bad"; rc=1; fi
for f in $files; do
    head -1 "$f" | grep -q 'SPDX-License-Identifier' || { echo "$f: no SPDX header"; rc=1; }
done
if command -v clang-format >/dev/null 2>&1; then
    n=0
    for f in $files; do
        clang-format --dry-run "$f" 2>&1 | grep -q warning && n=$((n+1))
    done
    echo "clang-format: $n file(s) differ from .clang-format (advisory)"
fi
[ $rc = 0 ] && echo "lint: ok"
exit $rc
