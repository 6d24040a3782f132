#!/bin/bash
# HEALTHCHECK of the Clippings image: GET /readyz over bash's /dev/tcp (the image has no curl).
# Exits 0 when the server answers HTTP 200, i.e. it serves an index that holds articles; a
# server that is up but has no index, or an empty one, answers 503 and is not healthy
# (/healthz, which answers 200 whenever the process serves, is the liveness check).
set -uo pipefail
port=${CLIPPINGS_SERVER_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status_line <&3 || exit 1
[[ $status_line =~ ^HTTP/1\.[01]\ 200 ]]
