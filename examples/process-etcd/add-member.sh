#!/bin/sh
# Adds FAULTLINE_MEMBER back as a new member through this node's etcd; faultline then starts it (join).
set -eu
exec etcdctl --endpoints="http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT" --command-timeout=5s \
  member add "$FAULTLINE_MEMBER" --peer-urls="http://$FAULTLINE_MEMBER_ADDRESS:2380"
