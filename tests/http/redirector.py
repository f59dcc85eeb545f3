#!/usr/bin/env python3
"""Tiny redirecting HTTP server for the HTTP service tests (stdlib only, 127.0.0.1 only).

  GET /redirect?to=URL   302 with Location: URL
  GET /loop              302 to /loop (endless)
  GET /auth-echo         200, body "authorization=present" or "authorization=absent"

Usage: redirector.py PORT_FILE [TTL_SECONDS]   (writes the port once listening; exits after TTL)
"""
import http.server
import os
import sys
import threading
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, headers=(), body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/redirect":
            to = urllib.parse.parse_qs(u.query).get("to", [""])[0]
            self.reply(302, [("Location", to)])
        elif u.path == "/loop":
            self.reply(302, [("Location", "/loop")])
        elif u.path == "/auth-echo":
            state = "present" if self.headers.get("Authorization") else "absent"
            self.reply(200, [("Content-Type", "text/plain")], f"authorization={state}".encode())
        else:
            self.reply(404)


def main():
    port_file = sys.argv[1]
    ttl = float(sys.argv[2]) if len(sys.argv) > 2 else 600
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(tmp, port_file)
    threading.Timer(ttl, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
