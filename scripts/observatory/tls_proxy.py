"""A small reverse proxy in front of gunicorn, as a deployment's would be: plain HTTP on one port,
HTTPS (a self-signed certificate) on another, both for the public name given, with
X-Forwarded-For and X-Forwarded-Proto set (run the site with TRUSTED_PROXY_COUNT=1).

For grading the production server's headers locally (scripts/observatory/run.sh); loopback only,
not for production.

    python tls_proxy.py --upstream 127.0.0.1:8155 --http 8153 --https 8154 \
        --public-host localhost:8154 --cert cert.pem --key key.pem
"""

import argparse
import http.client
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"}


def handler(upstream, public_host, scheme):
    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Host"] = public_host
            headers["X-Forwarded-Proto"] = scheme
            forwarded = self.headers.get("X-Forwarded-For")
            client = self.client_address[0]
            headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
            connection = http.client.HTTPConnection(*upstream, timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
            finally:
                connection.close()
            self.send_response_only(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_HEAD = do_POST = do_OPTIONS = forward

        def log_message(self, format, *args):
            pass

    return Proxy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--http", type=int, required=True)
    parser.add_argument("--https", type=int, required=True)
    parser.add_argument("--public-host", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    arguments = parser.parse_args()
    host, port = arguments.upstream.rsplit(":", 1)
    upstream = (host, int(port))
    plain = ThreadingHTTPServer(
        ("127.0.0.1", arguments.http), handler(upstream, arguments.public_host, "http")
    )
    secure = ThreadingHTTPServer(
        ("127.0.0.1", arguments.https), handler(upstream, arguments.public_host, "https")
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(arguments.cert, arguments.key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    secure.serve_forever()


if __name__ == "__main__":
    main()
