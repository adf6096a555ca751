"""paho-mqtt (Debian python3-paho-mqtt) driven by the interop tests.

usage: paho_client.py HOST PORT MODE PROTOCOL
  MODE roundtrip: subscribe to paho/# at QoS 2, publish one message at QoS 0, 1 and 2, print one JSON line
                  with what came back (topic, payload, qos, retain), exit 0 when all three arrived.
  MODE will:      connect with a last will on status/paho, subscribe to paho/ready, print "ready", then wait
                  to be killed (the test sends SIGKILL so no DISCONNECT is sent).
PROTOCOL: 31, 311 or 5.
"""
import json
import sys
import threading
import time

import paho.mqtt.client as mqtt

host, port, mode, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
protocol = {"31": mqtt.MQTTv31, "311": mqtt.MQTTv311, "5": mqtt.MQTTv5}[proto]
kwargs = {"client_id": f"paho-{mode}-{proto}", "protocol": protocol}
if protocol != mqtt.MQTTv5:
    kwargs["clean_session"] = True
client = mqtt.Client(**kwargs)
subscribed = threading.Event()
received = []
done = threading.Event()


def on_connect(c, userdata, flags, rc, properties=None):
    if rc != 0:
        print(json.dumps({"error": f"connack {rc}"}), flush=True)
        sys.exit(3)
    c.subscribe("paho/ready" if mode == "will" else "paho/#", qos=2)


def on_subscribe(c, userdata, mid, granted, properties=None):
    subscribed.set()


def on_message(c, userdata, msg):
    received.append({"topic": msg.topic, "payload": msg.payload.decode("utf-8"), "qos": msg.qos, "retain": bool(msg.retain)})
    if len(received) == 3:
        done.set()


client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
if mode == "will":
    client.will_set("status/paho", payload="gone", qos=1, retain=False)
client.connect(host, port, keepalive=30)
client.loop_start()
if not subscribed.wait(10):
    print(json.dumps({"error": "no SUBACK"}), flush=True)
    sys.exit(4)

if mode == "will":
    print("ready", flush=True)
    while True:
        time.sleep(1)

for qos in (0, 1, 2):
    client.publish(f"paho/q{qos}", payload=f"hello {qos}", qos=qos).wait_for_publish()
ok = done.wait(10)
received.sort(key=lambda m: m["topic"])
print(json.dumps(received), flush=True)
client.disconnect()
client.loop_stop()
sys.exit(0 if ok else 5)
