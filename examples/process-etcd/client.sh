#!/bin/sh
# faultline's client adapter for etcd, around etcdctl (protocol 1, see
# docs/process-protocol.md): one op per line on stdin, one completion per line
# on stdout. Reads are etcdctl's default, linearizable (through raft).
#
# Definite or not (the one place that decides): a failed read is `fail` (it
# changes nothing); a failed write or cas is `fail` only when etcd says it
# never proposed it, else `info` (it may have been applied).
[ "${FAULTLINE_PROTOCOL:-}" = 1 ] || { echo "client.sh speaks protocol 1" >&2; exit 1; }
endpoint="http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT"

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

# etcdctl with its answer on stdout; what it says on stderr (also retry warnings) goes to $errors.
ctl() { etcdctl --endpoints="$endpoint" --dial-timeout=1s --command-timeout=2s "$@" 2>"$errors"; }
# Why the last etcdctl failed: its last "Error:" line, else its last line.
why() { grep '^Error:' "$errors" | tail -n 1 | grep . || tail -n 1 "$errors"; }

# reply TYPE [VALUE-JSON] [ERROR-TEXT]
reply() {
  jq -cn --arg type "$1" --argjson value "${2:-null}" --arg error "${3:-}" \
    '{type: $type} + (if $value == null then {} else {value: $value} end) + (if $error == "" then {} else {error: $error} end)'
}

# A write that failed: fail when etcd refused it before proposing it to raft, else info.
failed_write() {
  case "$1" in
    *"etcdserver: no leader"* | *"raft proposal dropped"* | *"too many requests"* | *"unhealthy cluster"*)
      reply fail null "$1" ;;
    *) reply info null "$1" ;;
  esac
}

while IFS= read -r line; do
  eval "$(printf '%s' "$line" | jq -r '@sh "f=\(.f) key=\(.key) value=\(.value | tojson)"')"
  case "$f" in
    read)
      if out=$(ctl get "$key" --print-value-only); then
        case "$out" in
          '') reply ok null ;;
          *[!0-9]*) reply ok "$(jq -cn --arg v "$out" '$v')" ;;
          *) reply ok "$out" ;;
        esac
      else
        reply fail null "$(why)"
      fi ;;
    write)
      if ctl put "$key" "$value" >/dev/null; then reply ok; else failed_write "$(why)"; fi ;;
    cas)
      old=$(printf '%s' "$value" | jq -r '.[0]')
      new=$(printf '%s' "$value" | jq -r '.[1]')
      if out=$(printf 'value("%s") = "%s"\n\nput %s %s\n\n' "$key" "$old" "$key" "$new" | ctl txn); then
        case "$out" in
          SUCCESS*) reply ok ;;
          *) reply fail null "the register did not hold $old" ;;
        esac
      else
        failed_write "$(why)"
      fi ;;
    *) reply fail null "unknown op $f" ;;
  esac
done
