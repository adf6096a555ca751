"""Reads the recorder's SQLite database with Python's own sqlite3 module.

usage: read_sqlite.py DATABASE
Prints one JSON array, each record as [timestamp, topic, base64(payload bytes), qos, retain, client_id or null],
in recorded order. Exits non-zero (with sqlite3's error) if the database cannot be read.
"""
import base64
import json
import sqlite3
import sys

connection = sqlite3.connect(sys.argv[1])
rows = connection.execute("SELECT timestamp, topic, payload, qos, retain, client_id FROM messages ORDER BY id").fetchall()
print(json.dumps([[t, topic, base64.b64encode(payload).decode("ascii"), qos, bool(retain), client_id] for t, topic, payload, qos, retain, client_id in rows]))
