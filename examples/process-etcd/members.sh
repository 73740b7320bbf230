#!/bin/sh
# Prints the peer URL of every member, started or not (faultline maps each to its node).
set -eu
etcdctl --endpoints="http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT" --command-timeout=2s member list -w simple |
  awk -F', ' '{ print $4 }'
