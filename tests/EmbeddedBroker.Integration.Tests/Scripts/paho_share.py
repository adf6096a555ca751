"""paho-mqtt (Debian python3-paho-mqtt) as members of an MQTT 5 shared subscription, and their publisher.

usage: paho_share.py HOST PORT member CLIENT_ID FILTER QOS RECEIVE_MAXIMUM DELAY_MS
         connect MQTT 5 (clean start, Receive Maximum RECEIVE_MAXIMUM), subscribe to FILTER (e.g. $share/g/t) at QOS,
         print "ready" after the SUBACK, then one line per message received: its payload, and DELAY_MS later its
         acknowledgement (a slow member holds its window full). Runs until killed.
       paho_share.py HOST PORT publish TOPIC QOS COUNT INTERVAL_MS
         publish the payloads 0 .. COUNT-1 on TOPIC at QOS, INTERVAL_MS apart, wait until each is acknowledged
         (QoS 1/2), print "published COUNT" and exit 0.
"""
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def connect(client_id, properties=None):
    client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
    connected = threading.Event()

    def on_connect(c, userdata, flags, rc, props=None):
        if rc != 0:
            print(f"error: CONNACK {rc}", flush=True)
            sys.exit(3)
        connected.set()

    client.on_connect = on_connect
    client.connect(host, port, keepalive=30, clean_start=True, properties=properties)
    client.loop_start()
    if not connected.wait(10):
        print("error: no CONNACK", flush=True)
        sys.exit(4)
    return client


if mode == "member":
    client_id, topic_filter, qos, receive_maximum = sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
    delay = int(sys.argv[8]) / 1000.0
    connect_properties = Properties(PacketTypes.CONNECT)
    connect_properties.ReceiveMaximum = receive_maximum
    subscribed = threading.Event()
    lock = threading.Lock()

    def on_message(c, userdata, msg):
        # Printed before paho sends the PUBACK/PUBREC (it does so after this callback returns), so a message printed
        # by a member killed before acknowledging it may rightly be delivered again to another member.
        with lock:
            print(msg.payload.decode("ascii"), flush=True)
        if delay > 0:
            time.sleep(delay)

    client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
    client.on_message = on_message
    client.on_subscribe = lambda c, userdata, mid, reason_codes, props=None: subscribed.set()
    client.connect(host, port, keepalive=30, clean_start=True, properties=connect_properties)
    client.subscribe(topic_filter, qos=qos)
    client.loop_start()
    if not subscribed.wait(10):
        print("error: no SUBACK", flush=True)
        sys.exit(4)
    print("ready", flush=True)
    while True:
        time.sleep(1)

elif mode == "publish":
    topic, qos, count, interval = sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]) / 1000.0
    client = connect(f"paho-share-publisher-{qos}")
    infos = []
    for i in range(count):
        infos.append(client.publish(topic, payload=str(i), qos=qos))
        if interval > 0:
            time.sleep(interval)
    for info in infos:
        info.wait_for_publish(10)
        if not info.is_published():
            print(f"error: message {info.mid} not acknowledged", flush=True)
            sys.exit(5)
    print(f"published {count}", flush=True)
    client.disconnect()
    client.loop_stop()
    sys.exit(0)
