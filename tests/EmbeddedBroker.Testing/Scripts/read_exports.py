"""Reads the recorder's files with parsers nobody here wrote (Python's csv and json modules).

usage: read_exports.py BASE_PATH
Prints one JSON object: {"csv": [...], "json": [...]}, each record as
[timestamp, topic, base64(payload bytes), qos, retain, client_id or null, payload_encoding].
Exits non-zero (with the parser's error) if either file does not parse.
"""
import base64
import csv
import json
import sys

base = sys.argv[1]


def payload_bytes(payload, encoding):
    return base64.b64decode(payload) if encoding == "base64" else payload.encode("utf-8")


def record(timestamp, topic, payload, encoding, qos, retain, client_id):
    payload_base64 = base64.b64encode(payload_bytes(payload, encoding)).decode("ascii")
    return [timestamp, topic, payload_base64, int(qos), retain, client_id or None, encoding]


with open(base + ".csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
csv_records = [record(r["timestamp"], r["topic"], r["payload"], r["payload_encoding"], r["qos"], r["retain"] == "true", r["client_id"])
               for r in rows]

with open(base + ".json", encoding="utf-8") as f:
    items = json.load(f)
json_records = [record(i["timestamp"], i["topic"], i["payload"], i["payload_encoding"], i["qos"], bool(i["retain"]), i["client_id"])
                for i in items]

print(json.dumps({"csv": csv_records, "json": json_records}))
