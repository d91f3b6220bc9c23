#!/usr/bin/env bash
# The web server and the follow-up scheduler side by side (the scheduler is never inside the web
# workers). One Ctrl-C, or either process ending, stops both.
# Usage: scripts/serve.sh FLASK PORT   (FLASK is the flask command with --app taskboard)
set -u
flask=$1 port=$2
$flask scheduler &
scheduler=$!
$flask run --host 127.0.0.1 --port "$port" &
web=$!
# Background jobs of a script ignore Ctrl-C, so the trap forwards it to both.
trap 'kill "$scheduler" "$web" 2>/dev/null; wait' INT TERM EXIT
wait -n
