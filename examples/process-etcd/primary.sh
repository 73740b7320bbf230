#!/bin/sh
# Prints the client URL of the member that is leader (faultline maps it to its node).
set -eu
etcdctl --endpoints="http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT" --command-timeout=1s endpoint status --cluster -w simple |
  awk -F', ' '$5 == "true" { print $1 }'
