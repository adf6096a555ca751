"""paho-mqtt clients for the broker-state durability tests (retained messages, persistent sessions, QoS 2 across a
restart of the broker).

usage: paho_durability.py HOST PORT MODE [ARGS]
  prepare RETAINED SESSIONS QUEUED
      publishes RETAINED retained QoS 1 messages (r/<i>), creates SESSIONS persistent sessions (half MQTT 3.1.1
      clean_session=False, half MQTT 5 with a session expiry of one hour) subscribed at QoS 1 to q/<n>, disconnects
      them, publishes QUEUED QoS 1 messages to each q/<n>; then starts a QoS 2 publish (raw socket, client qos2-pub)
      that stops after PUBREC, leaving the PUBREL to the verify step. Prints "prepared".
  verify RETAINED SESSIONS QUEUED
      counts the retained messages a fresh '#' subscriber gets, reconnects every session (session present must be 1,
      its QUEUED messages must arrive), completes the interrupted QoS 2 flow and checks its message arrives exactly
      once. Prints one JSON object with what it found.
  stream SECONDS
      publishes retained QoS 1 messages to s/<i> as fast as they are acknowledged for SECONDS, printing the highest
      acknowledged <i> after every acknowledgement batch (the test kills the broker meanwhile).
  laststream
      prints the highest <i> among the retained s/<i> the broker holds.
"""
import json
import socket
import struct
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def session_client(n, clean):
    if n % 2 == 0:
        return mqtt.Client(client_id=f"dur-{n}", protocol=mqtt.MQTTv311, clean_session=clean)
    return mqtt.Client(client_id=f"dur-{n}", protocol=mqtt.MQTTv5)


def connect(client, n=None, clean=False):
    done = threading.Event()
    result = {}

    def on_connect(c, userdata, flags, rc, properties=None):
        result["present"] = bool(flags.get("session present", False)) if isinstance(flags, dict) else bool(flags.session_present)
        result["rc"] = int(rc) if not hasattr(rc, "value") else rc.value
        done.set()

    client.on_connect = on_connect
    if client._protocol == mqtt.MQTTv5:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600
        client.connect(host, port, keepalive=60, clean_start=clean, properties=props)
    else:
        client.connect(host, port, keepalive=60)
    client.loop_start()
    if not done.wait(15):
        raise SystemExit(f"no CONNACK for {n}")
    if result["rc"] != 0:
        raise SystemExit(f"CONNACK {result['rc']} for {n}")
    return result["present"]


def publisher():
    client = mqtt.Client(client_id=f"dur-pub-{time.time_ns()}", protocol=mqtt.MQTTv311, clean_session=True)
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    connect(client)
    return client


def publish_all(client, items):
    infos = [client.publish(topic, payload, qos=1, retain=retain) for topic, payload, retain in items]
    for info in infos:
        info.wait_for_publish(30)
        if not info.is_published():
            raise SystemExit("a QoS 1 publish was not acknowledged")


def raw_packet(kind, body):
    length = len(body)
    encoded = bytearray()
    while True:
        byte = length % 128
        length //= 128
        encoded.append(byte | (0x80 if length else 0))
        if not length:
            break
    return bytes([kind]) + bytes(encoded) + body


def mqtt_string(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def raw_connect(client_id):
    sock = socket.create_connection((host, port), timeout=10)
    body = mqtt_string("MQTT") + bytes([4, 0x00]) + struct.pack("!H", 60) + mqtt_string(client_id)  # clean session 0
    sock.sendall(raw_packet(0x10, body))
    connack = sock.recv(4)
    if len(connack) < 4 or connack[3] != 0:
        raise SystemExit(f"raw CONNACK {connack!r}")
    return sock, bool(connack[2] & 1)


def prepare(retained, sessions, queued):
    pub = publisher()
    publish_all(pub, [(f"r/{i}", f"retained {i}", True) for i in range(retained)])
    for n in range(sessions):
        client = session_client(n, clean=False)
        connect(client, n, clean=True)
        done = threading.Event()
        client.on_subscribe = lambda c, u, mid, granted, properties=None: done.set()
        client.subscribe(f"q/{n}", qos=1)
        if not done.wait(15):
            raise SystemExit(f"no SUBACK for {n}")
        client.disconnect()
        client.loop_stop()
    publish_all(pub, [(f"q/{n}", f"queued {n} {k}", False) for n in range(sessions) for k in range(queued)])
    # The QoS 2 flow that a restart interrupts: PUBLISH, PUBREC received, PUBREL not sent yet.
    watcher = mqtt.Client(client_id="dur-q2-watch", protocol=mqtt.MQTTv311, clean_session=False)
    connect(watcher, "watch")
    done = threading.Event()
    watcher.on_subscribe = lambda c, u, mid, granted, properties=None: done.set()
    watcher.subscribe("q2/#", qos=2)
    done.wait(15)
    watcher.disconnect()
    watcher.loop_stop()
    sock, _ = raw_connect("qos2-pub")
    sock.sendall(raw_packet(0x34, mqtt_string("q2/once") + struct.pack("!H", 7) + b"exactly once"))
    pubrec = sock.recv(4)
    if pubrec[:1] != b"\x50":
        raise SystemExit(f"expected PUBREC, got {pubrec!r}")
    sock.close()  # no PUBREL, no DISCONNECT
    pub.disconnect()
    print("prepared", flush=True)


def verify(retained, sessions, queued):
    found = {}
    # Every retained message, to a fresh '#' subscriber.
    topics = set()
    enough = threading.Event()
    fresh = mqtt.Client(client_id="dur-fresh", protocol=mqtt.MQTTv311, clean_session=True)

    def on_retained(c, u, msg):
        if msg.retain and msg.topic.startswith("r/"):
            topics.add(msg.topic)
            if len(topics) == retained:
                enough.set()

    fresh.on_message = on_retained
    connect(fresh)
    fresh.subscribe("#", qos=1)
    enough.wait(60)
    found["retained"] = len(topics)
    fresh.disconnect()
    fresh.loop_stop()

    # Every session, with its queued messages.
    present = 0
    delivered = 0
    for n in range(sessions):
        got = []
        all_in = threading.Event()
        client = session_client(n, clean=False)

        def on_message(c, u, msg, got=got, all_in=all_in):
            got.append(msg.payload.decode())
            if len(got) >= queued:
                all_in.set()

        client.on_message = on_message
        if connect(client, n, clean=False):
            present += 1
        all_in.wait(15)
        time.sleep(0.05)
        delivered += len(set(got))
        client.disconnect()
        client.loop_stop()
    found["sessionsPresent"] = present
    found["queuedDelivered"] = delivered

    # The interrupted QoS 2 flow completes, and its message arrives once.
    got = []
    watcher = mqtt.Client(client_id="dur-q2-watch", protocol=mqtt.MQTTv311, clean_session=False)
    watcher.on_message = lambda c, u, msg: got.append(msg.payload.decode())
    connect(watcher, "watch", clean=False)
    sock, qos2_present = raw_connect("qos2-pub")
    sock.sendall(raw_packet(0x34 | 0x08, mqtt_string("q2/once") + struct.pack("!H", 7) + b"exactly once"))  # DUP re-send
    answer = sock.recv(4)
    sock.sendall(raw_packet(0x62, struct.pack("!H", 7)))
    pubcomp = sock.recv(4)
    sock.close()
    time.sleep(1.0)
    watcher.disconnect()
    watcher.loop_stop()
    found["qos2SessionPresent"] = qos2_present
    found["qos2Answer"] = answer[:1].hex()
    found["qos2Completed"] = pubcomp[:1] == b"\x70"
    found["qos2Deliveries"] = got.count("exactly once")
    print(json.dumps(found), flush=True)


def stream(seconds):
    pub = publisher()
    deadline = time.time() + seconds
    i = 0
    while time.time() < deadline:
        batch = [(f"s/{i + k}", f"{time.time():.6f}", True) for k in range(20)]
        try:
            publish_all(pub, batch)
        except (SystemExit, OSError, ValueError, RuntimeError):
            break
        i += 20
        print(f"acked {i - 1} {time.time():.6f}", flush=True)


def last_stream():
    highest = {"index": -1, "at": 0.0}
    quiet = threading.Event()
    client = mqtt.Client(client_id="dur-last", protocol=mqtt.MQTTv311, clean_session=True)

    def on_message(c, u, msg):
        index = int(msg.topic.split("/")[1])
        if index > highest["index"]:
            highest["index"] = index
            highest["at"] = float(msg.payload.decode())

    client.on_message = on_message
    connect(client)
    client.subscribe("s/#", qos=0)
    time.sleep(3)
    print(json.dumps(highest), flush=True)


if mode == "prepare":
    prepare(int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
elif mode == "verify":
    verify(int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
elif mode == "stream":
    stream(float(sys.argv[4]))
elif mode == "laststream":
    last_stream()
else:
    raise SystemExit(f"unknown mode {mode}")
