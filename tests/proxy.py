"""A TCP proxy that can fail on purpose, put between the directory and PostgreSQL or Redis.

    proxy = FaultyProxy(5432)   # listens on proxy.port, relays to 127.0.0.1:5432
    proxy.refuse()              # connections refused; open ones reset (the server is down)
    proxy.freeze()              # connections kept open, nothing relayed (a hung server or network)
    proxy.cut()                 # every connection dropped after the next thing the client sends
    proxy.relay()               # back to normal
    proxy.close()

Everything runs in one thread with a selector, on the loopback address only.
"""

import contextlib
import selectors
import socket
import struct
import threading
import time

RELAY, REFUSE, FREEZE, CUT = "relay", "refuse", "freeze", "cut"


class FaultyProxy:
    def __init__(self, target_port, target_host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.mode = RELAY
        self.selector = selectors.DefaultSelector()
        self.pairs = {}  # socket -> its other end
        self.lock = threading.Lock()
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _listen(self, port):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.setblocking(False)
        self.selector.register(listener, selectors.EVENT_READ)
        return listener

    # The modes.

    def relay(self):
        with self.lock:
            if self.listener is None:
                self.listener = self._listen(self.port)
            self.mode = RELAY

    def refuse(self):
        with self.lock:
            self.mode = REFUSE
            if self.listener is not None:
                self.selector.unregister(self.listener)
                self.listener.close()
                self.listener = None
            for sock in list(self.pairs):
                self._drop(sock, reset=True)

    def freeze(self):
        with self.lock:
            self.mode = FREEZE

    def cut(self):
        with self.lock:
            self.mode = CUT

    def close(self):
        self.refuse()
        self.running = False
        self.thread.join(timeout=5)
        self.selector.close()

    # The loop.

    def _run(self):
        while self.running:
            if self.mode == FREEZE:
                time.sleep(0.02)  # open connections' data waits unread; only new ones are accepted
            for key, _ in self.selector.select(timeout=0.05):
                with self.lock:
                    if key.fileobj is self.listener:
                        self._accept()
                    elif key.fileobj in self.pairs and self.mode != FREEZE:
                        self._forward(key.fileobj)

    def _accept(self):
        client, _ = self.listener.accept()
        if self.mode == FREEZE:
            self.pairs[client] = None  # held open, never answered
            return
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:
            client.close()
            return
        for one, other in ((client, upstream), (upstream, client)):
            one.setblocking(False)
            self.pairs[one] = other
            self.selector.register(one, selectors.EVENT_READ)

    def _forward(self, sock):
        other = self.pairs[sock]
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data or other is None:
            self._drop(sock)
            return
        try:
            other.setblocking(True)
            other.sendall(data)
            other.setblocking(False)
        except OSError:
            self._drop(sock)
            return
        if self.mode == CUT:
            self._drop(sock, reset=True)

    def _drop(self, sock, reset=False):
        for one in (sock, self.pairs.get(sock)):
            if one is None or one not in self.pairs:
                continue
            self.pairs.pop(one)
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(one)
            if reset:  # RST rather than FIN: the peer sees "connection reset"
                one.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            one.close()
