# SPDX-License-Identifier: MIT
# lint.awk - find `check` lines whose condition leaks out of the check:
# `&&`, `||`, `|` or `;` outside quotes and outside $( ), as in
# `check x [ a ] && [ b ]`, where the shell runs `check` on `[ a ]` only.
# Prints "FILE:LINE: ..." for each and exits 1 when there is one.
# Usage: awk -f tests/cli/lint.awk tests/cli/test_*.sh
function scan(s, file, line,    i, c, q, d, nx) {
    q = ""; d = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1); nx = substr(s, i + 1, 1)
        if (c == "\\") { i++; continue }
        if (q == "'") { if (c == "'") q = ""; continue }
        if (c == "$" && nx == "(") { d++; i++; continue }
        if (d > 0) {
            if (c == "(") d++
            else if (c == ")") d--
            continue
        }
        if (q == "\"") { if (c == "\"") q = ""; continue }
        if (c == "'" || c == "\"") { q = c; continue }
        if (c == "#") return
        if (c == "&" || c == "|" || c == ";") {
            printf "%s:%d: `%s` after check: quote the whole condition\n", file, line, (c nx == "&&" || c nx == "||") ? c nx : c
            bad = 1
            return
        }
    }
}
FNR == 1 { cont = "" }
{
    s = cont $0
    if (s ~ /\\$/) { cont = substr(s, 1, length(s) - 1) " "; if (cont ~ /^[ \t]*check[ \t]/ && !start) start = FNR; next }
    cont = ""
    if (s ~ /^[ \t]*check[ \t]/) scan(s, FILENAME, start ? start : FNR)
    start = 0
}
END { exit bad }
