#!/bin/sh
# install-python.sh DESTDIR PREFIX - copy python/pact into the
# site-packages directory that /usr/bin/python3 searches for PREFIX
# (Debian: /usr -> /usr/lib/python3/dist-packages, /usr/local ->
# /usr/local/lib/python3.X/dist-packages), else PREFIX/lib/python3.X/
# site-packages with a note to add it to PYTHONPATH.  The package finds
# PREFIX/lib/libpact.so.0 relative to itself, so DESTDIR staging works.
set -e
destdir=$1
prefix=${2:-/usr/local}
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ]; then
    echo "pact: no python3 found; the Python package was not installed" \
         "(copy python/pact into your site-packages by hand)" >&2
    exit 0
fi
# The first entry of sys.path under PREFIX/lib that is a site dir.
site=$("$py" - "$prefix" <<'PY'
import sys, sysconfig
prefix = sys.argv[1].rstrip("/") or "/"
for p in sys.path:
    if p.startswith(prefix + "/lib/") and p.endswith("-packages"):
        print(p)
        break
else:
    v = sysconfig.get_python_version()
    print("%s/lib/python%s/site-packages" % (prefix, v))
PY
)
on_path=$("$py" -c 'import sys; print(sys.argv[1] in sys.path)' "$site")
install -d "$destdir$site/pact"
for f in python/pact/*.py; do
    install -m 644 "$f" "$destdir$site/pact/"
done
# The original tool's module name, for its client scripts.
for f in python/trackerPACT.py; do
    install -m 644 "$f" "$destdir$site/"
done
echo "pact: Python package installed in $destdir$site/pact"
if [ "$on_path" != True ]; then
    echo "pact: $site is not on $py's path; use PYTHONPATH=$site" >&2
fi
