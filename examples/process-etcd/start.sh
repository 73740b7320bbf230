#!/bin/sh
# Runs one etcd member in the foreground: faultline starts this as the node's
# daemon (and kills, pauses and restarts it). FAULTLINE_* name the node.
# `start.sh existing` joins a running cluster (the join command, after
# add-member.sh): FAULTLINE_MEMBERS are then the members after the add.
set -eu
state=${1:-new}
# n1=10.0.0.2,n2=10.0.0.3 -> n1=http://10.0.0.2:2380,n2=http://10.0.0.3:2380
cluster=$(printf '%s' "$FAULTLINE_MEMBERS" | sed -E 's#([^=,]+)=([^,]+)#\1=http://\2:2380#g')
exec etcd --name "$FAULTLINE_NODE" --data-dir "$FAULTLINE_DATA_DIR" \
  --listen-client-urls "http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT" \
  --advertise-client-urls "http://$FAULTLINE_ADDRESS:$FAULTLINE_PORT" \
  --listen-peer-urls "http://$FAULTLINE_ADDRESS:2380" \
  --initial-advertise-peer-urls "http://$FAULTLINE_ADDRESS:2380" \
  --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token faultline-process \
  --heartbeat-interval 50 --election-timeout 500
