#!/usr/bin/env bash
# The man pages: every man/*.1 formats without a single groff or man warning
# (what lintian runs), has its NAME and SYNOPSIS, and, for each program
# given, names every option of its --help and, for odoo-rpc, every command
# with every option of its COMMAND --help.
#   check-man.sh MANDIR [NAME=PROGRAM ...]
set -u
mandir=$1; shift
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

command -v man >/dev/null || { echo "man is not installed (apt-get install man-db)" >&2; exit 1; }
pages=("$mandir"/*.1)
[ -e "${pages[0]}" ] || { echo "no man page in $mandir" >&2; exit 1; }
for page in "${pages[@]}"; do
  before=$fail
  name=$(basename "$page" .1)
  err=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
  rc=$?
  [ $rc -eq 0 ] || bad "$page: man exits $rc"
  [ -z "$err" ] || bad "$page: warnings:"$'\n'"$err"
  grep -qE "^\.TH \"?${name^^}\"? \"?1\"?( |\$)" "$page" || bad "$page: no .TH ${name^^} 1 line"
  for s in NAME SYNOPSIS DESCRIPTION; do
    grep -q "^\.SH \"\?$s\"\?\$" "$page" || bad "$page: no $s section"
  done
  [ $fail = "$before" ] && echo "ok $page"
done

# roff source as plain words: \- is -, font changes go.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\&//g' "$1"; }
# (--opt and --option are the help's placeholders, as in "--opt=v")
options_of() { grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | grep -vxE -- '--opt(ion)?' | sort -u; }

for arg in "$@"; do
  name=${arg%%=*}
  prog=${arg#*=}
  page=$mandir/$name.1
  [ -f "$page" ] || { bad "$name: no man page $page"; continue; }
  text=$(plain "$page")
  help=$("$prog" --help 2>&1)
  if [ "$name" = odoo-rpc ]; then
    # the commands are the indented words of the "Commands" block of --help
    cmds=$(printf '%s\n' "$help" | awk '/^Commands/ {on=1; next} on && /^$/ {on=0} on && /^  [a-z]/ {print $1}')
    [ -n "$cmds" ] || bad "odoo-rpc --help: no command found (has the help's layout changed?)"
    for c in $cmds; do
      printf '%s\n' "$text" | grep -qE "^\.(TP|B|SS|IP)?.*\b$c\b" || bad "$page: command $c is not described"
      help+=$'\n'$("$prog" "$c" --help 2>&1)
    done
  fi
  n=0
  before=$fail
  for o in $(printf '%s\n' "$help" | options_of); do
    n=$((n + 1))
    printf '%s\n' "$text" | grep -qF -- "$o" || bad "$page: $o (in $name's --help) is not documented"
  done
  [ $fail = "$before" ] && echo "ok $page: the $n options of $name --help are documented"
done
exit $fail
