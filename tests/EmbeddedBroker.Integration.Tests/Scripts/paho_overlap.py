"""paho-mqtt (Debian python3-paho-mqtt) MQTT 5 client with two overlapping subscriptions.

usage: paho_overlap.py HOST PORT COUNT
  subscribe to a/# (QoS 0, Subscription Identifier 1) and a/+/c (QoS 2, Subscription Identifier 2) in two SUBSCRIBE
  packets, print "ready", then print one JSON line per message (topic, payload, qos, the subscription identifiers in
  the PUBLISH) and exit 0 after COUNT messages (5 after 20 s without them).
"""
import json
import sys
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
received = []
done = threading.Event()
subacks = threading.Semaphore(0)


def on_message(c, userdata, msg):
    ids = getattr(msg.properties, "SubscriptionIdentifier", []) if msg.properties else []
    print(json.dumps({"topic": msg.topic, "payload": msg.payload.decode("utf-8"), "qos": msg.qos, "ids": sorted(ids)}), flush=True)
    received.append(msg)
    if len(received) == count:
        done.set()


def subscribe(c, topic_filter, qos, identifier):
    properties = Properties(PacketTypes.SUBSCRIBE)
    properties.SubscriptionIdentifier = identifier
    c.subscribe(topic_filter, qos=qos, properties=properties)


client = mqtt.Client(client_id="paho-overlap", protocol=mqtt.MQTTv5)
client.on_message = on_message
client.on_subscribe = lambda c, userdata, mid, reason_codes, props=None: subacks.release()
client.connect(host, port, keepalive=30, clean_start=True)
client.loop_start()
subscribe(client, "a/#", 0, 1)
subscribe(client, "a/+/c", 2, 2)
if not (subacks.acquire(timeout=10) and subacks.acquire(timeout=10)):
    print("error: no SUBACK", flush=True)
    sys.exit(4)
print("ready", flush=True)
ok = done.wait(20)
client.disconnect()
client.loop_stop()
sys.exit(0 if ok else 5)
