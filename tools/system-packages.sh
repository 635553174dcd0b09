#!/bin/sh
# The system (Debian) packages frontwatch's set-up needs: which are missing, installed with apt-get when run
# as root, else named with the exact command. Used by the Makefile (make demo, make test) and .ci/run.
#
# Usage: tools/system-packages.sh [--optional] NEED...
#   NEED: python (python3 3.11+ with venv: python3 python3-venv), npm (nodejs npm: `npm ci`),
#         node (nodejs), postgresql (the store's PostgreSQL tests), chromium (the browser tests).
#   --optional: when they cannot be installed, say so and go on (the tests that need them skip and say why)
#               instead of failing.
# FRONTWATCH_NO_APT=1 never runs apt-get (only names what is missing). PYTHON names the interpreter.
set -eu
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
python=${PYTHON:-python3}
missing=""
why=""
add() { missing="$missing $1"; why="$why; $2"; }
for need in "$@"; do
  case "$need" in
    python)
      if ! command -v "$python" >/dev/null 2>&1; then
        add "python3 python3-venv" "$python is not installed"
      elif ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "frontwatch: $python is $("$python" -V 2>&1); frontwatch needs Python 3.11 or newer" \
             "(pass PYTHON=python3.11 to make)" >&2
        exit 1
      elif ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        add python3-venv "$python cannot create a venv"
      fi ;;
    npm) command -v npm >/dev/null 2>&1 || add "nodejs npm" "npm installs the browser libraries (npm ci)" ;;
    node) command -v node >/dev/null 2>&1 || add nodejs "node checks the pages' JavaScript" ;;
    postgresql)
      if [ -z "${FRONTWATCH_TEST_PG_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        add postgresql "the store's PostgreSQL tests start a throwaway server"
      fi ;;
    chromium) [ -x /usr/bin/chromium ] || add chromium "the browser tests drive /usr/bin/chromium" ;;
    *) echo "tools/system-packages.sh: unknown need '$need'" >&2; exit 2 ;;
  esac
done
[ -z "$missing" ] && exit 0
missing=$(echo $missing)  # one space between names
why=${why#; }
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${FRONTWATCH_NO_APT:-}" ]; then
  echo "frontwatch: installing missing system packages: $missing ($why)"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if apt-get update -q && apt-get install -y -q $missing; then exit 0; fi
  echo "frontwatch: apt-get could not install $missing" >&2
else
  echo "frontwatch: missing system packages: $missing ($why)." >&2
  echo "frontwatch: install them with: sudo apt-get install -y $missing" >&2
fi
if [ "$optional" = 1 ]; then
  echo "frontwatch: going on without them; the tests that need them are skipped (listed at the end)" >&2
  exit 0
fi
exit 1
