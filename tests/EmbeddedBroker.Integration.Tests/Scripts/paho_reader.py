"""paho-mqtt (Debian python3-paho-mqtt) as one reader of the ACL tests.

usage: paho_reader.py HOST PORT CLIENT_ID USERNAME PASSWORD PROTOCOL END_TOPIC FILTER...
  Connects (USERNAME "-" = anonymous), subscribes to every FILTER at QoS 1, prints "subscribed GRANTED..." (the SUBACK
  codes), then one line "TOPIC PAYLOAD" per message (retained ones marked "TOPIC PAYLOAD (retained)") until a message
  on END_TOPIC arrives; exits 0 then, 3 when the CONNACK refuses, 4 without SUBACK, 5 when END_TOPIC never comes.
PROTOCOL: 311 or 5.
"""
import sys
import threading

import paho.mqtt.client as mqtt

host, port, client_id, username, password, proto, end_topic = sys.argv[1:8]
filters = sys.argv[8:]
protocol = mqtt.MQTTv5 if proto == "5" else mqtt.MQTTv311
client = mqtt.Client(client_id=client_id, protocol=protocol) if protocol == mqtt.MQTTv5 \
    else mqtt.Client(client_id=client_id, protocol=protocol, clean_session=True)
if username != "-":
    client.username_pw_set(username, password)
subscribed = threading.Event()
ended = threading.Event()


def code(value):
    return value.value if hasattr(value, "value") else value


def on_connect(c, userdata, flags, rc, properties=None):
    if code(rc) != 0:
        print(f"connack {code(rc)}", flush=True)
        sys.exit(3)
    c.subscribe([(f, 1) for f in filters])


def on_subscribe(c, userdata, mid, granted, properties=None):
    print("subscribed " + " ".join(str(code(g)) for g in granted), flush=True)
    subscribed.set()


def on_message(c, userdata, msg):
    suffix = " (retained)" if msg.retain else ""
    print(f"{msg.topic} {msg.payload.decode('utf-8')}{suffix}", flush=True)
    if msg.topic == end_topic:
        ended.set()


client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect(host, int(port), keepalive=30)
client.loop_start()
if not subscribed.wait(10):
    sys.exit(4)
if not ended.wait(60):
    sys.exit(5)
client.disconnect()
client.loop_stop()
