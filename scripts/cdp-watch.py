#!/usr/bin/env python3
"""Watches a page in a running headless Chromium through its DevTools protocol, without reloading it:
every INTERVAL seconds for DURATION seconds, evaluates EXPRESSION in the page and prints each distinct
result once, as a JSON line. Used by the dashboard's browser test (a sweep runs while the page is open).

    cdp-watch.py PORT EXPRESSION DURATION [INTERVAL]

A minimal WebSocket client (RFC 6455: the handshake, masked text frames out, unmasked frames in) over
the standard library, since the test machines have no websocket package."""

import base64, json, os, socket, struct, sys, time, urllib.request


def connect(url):
    host_port, path = url[len("ws://"):].split("/", 1)
    host, port = host_port.split(":")
    sock = socket.create_connection((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(4096)
    if b" 101 " not in response.split(b"\r\n")[0]:
        raise SystemExit(f"no websocket: {response[:200]!r}")
    return sock, response.split(b"\r\n\r\n", 1)[1]


def send(sock, text):
    data = text.encode()
    header = bytes([0x81])
    if len(data) < 126:
        header += bytes([0x80 | len(data)])
    elif len(data) < 65536:
        header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
    else:
        header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
    mask = os.urandom(4)
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def receive(sock, buffer):
    def need(n):
        nonlocal buffer
        while len(buffer) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit("the browser closed the connection")
            buffer += chunk
    while True:
        need(2)
        length = buffer[1] & 0x7F
        offset = 2
        if length == 126:
            need(4)
            length = struct.unpack(">H", buffer[2:4])[0]
            offset = 4
        elif length == 127:
            need(10)
            length = struct.unpack(">Q", buffer[2:10])[0]
            offset = 10
        need(offset + length)
        opcode = buffer[0] & 0x0F
        payload = buffer[offset:offset + length]
        buffer = buffer[offset + length:]
        if opcode == 1:
            return payload.decode(), buffer


def main():
    port, expression, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
    deadline = time.time() + 15
    targets = []
    while not targets and time.time() < deadline:
        try:
            targets = [t for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json")) if t.get("type") == "page"]
        except OSError:
            time.sleep(0.2)
    if not targets:
        raise SystemExit("no page in the browser")
    sock, buffer = connect(targets[0]["webSocketDebuggerUrl"])
    seen, message = [], 0
    end = time.time() + duration
    while time.time() < end:
        message += 1
        send(sock, json.dumps({"id": message, "method": "Runtime.evaluate",
                               "params": {"expression": expression, "returnByValue": True}}))
        while True:
            text, buffer = receive(sock, buffer)
            reply = json.loads(text)
            if reply.get("id") == message:
                break
        value = reply.get("result", {}).get("result", {}).get("value")
        if value is not None and (not seen or seen[-1] != value):
            seen.append(value)
            print(json.dumps(value), flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()
