#!/bin/sh
# Regenerate the peer-tool fixtures in this folder with the real tools:
#   Debian packages `taskwarrior` (2.6) and `todotxt-cli` (todo.sh 2.11).
# Everything happens in a temporary folder (TASKDATA, TASKRC, TODO_DIR): the
# user's own ~/.task, ~/.taskrc and todo.txt are never read or written.
#
#   taskwarrior-2.6.json   `task export` after real add/annotate/done/delete/recurring commands
#   taskwarrior-3.json     HAND-MADE (Taskwarrior 3.x cannot be installed here): the 3.x export
#                          shape from its documentation -- status "waiting" and "recurring",
#                          `depends` as a JSON list, `tags` as a list; kept as written, not regenerated
#   todo.txt               `todo.sh add` (with -t: creation dates), `pri`, `do` (-a: the done line stays in todo.txt)
set -eu
# a zone away from UTC, so that the export's UTC times really need converting back
export TZ=Europe/Berlin
# usage: make_fixtures.sh [DIR]   (DIR defaults to this folder; the tests give a temporary one)
here=$(cd "${1:-$(dirname "$0")}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# -- Taskwarrior 2.6 ----------------------------------------------------------------
export TASKDATA="$work/task" TASKRC="$work/taskrc"
mkdir -p "$TASKDATA"
cat > "$TASKRC" <<RC
data.location=$TASKDATA
confirmation=off
recurrence.confirmation=off
verbose=nothing
uda.estimate.type=string
uda.estimate.label=Estimate
RC
t() { task rc.confirmation=off "$@" >/dev/null; }
t add Renew passport project:home.admin priority:H +errand due:2030-01-15 estimate:2h
t description:"Renew passport" annotate "photo booth is in the station"
t description:"Renew passport" annotate "final: hand the form in at the town hall"
t add Plan the garden project:home.garden priority:L +outside wait:2030-03-01
t add Buy seeds project:home.garden due:2030-02-10T17:30:00
t description:"Buy seeds" modify depends:$(task _get description:"Plan the garden".uuid 2>/dev/null || task rc.verbose=nothing "description:Plan the garden" _uuids)
t add Read the old report +work priority:M
t description:"Read the old report" done
t add Obsolete idea +someday
t description:"Obsolete idea" delete
t add Water the plants recur:weekly due:2026-12-01 +home
t add "Call mum about \"the visit\"" due:2030-01-20
t list >/dev/null 2>&1 || true   # makes the recurring instances
task rc.json.array=on export > "$here/taskwarrior-2.6.json"

# -- todo.txt (todo.sh) -------------------------------------------------------------
mkdir -p "$work/todo"
cat > "$work/todo.cfg" <<CFG
export TODO_DIR="$work/todo"
export TODO_FILE="\$TODO_DIR/todo.txt"
export DONE_FILE="\$TODO_DIR/done.txt"
export REPORT_FILE="\$TODO_DIR/report.txt"
CFG
todo() { todo-txt -d "$work/todo.cfg" -t -a "$@" >/dev/null; }
todo add "Call mum +family @phone due:2030-01-20"
todo add "Renew passport +home.admin @town t:2029-12-01 due:2030-01-15"
todo pri 2 A
todo add "Buy seeds +garden"
todo pri 3 B
todo add "Email name@example.com about 2+2 at 17:00 see https://example.com/x"
todo pri 4 D
todo add "Old report +work"
todo pri 5 C
todo do 5
cp "$work/todo/todo.txt" "$here/todo.txt"
echo "fixtures written to $here"
