#!/bin/sh
# Removes the member on FAULTLINE_MEMBER_ADDRESS through this node's etcd; nothing to do when it is no member.
set -eu
endpoint="http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT"
id=$(etcdctl --endpoints="$endpoint" --command-timeout=2s member list -w simple |
  awk -F', ' -v peer="http://$FAULTLINE_MEMBER_ADDRESS:2380" '$4 == peer { print $1 }')
[ -n "$id" ] || exit 0
exec etcdctl --endpoints="$endpoint" --command-timeout=5s member remove "$id"
