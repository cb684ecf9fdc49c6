"""`nn fetch` against servers that misbehave: every failure is one line and exit 2, and a server
that drips one byte at a time is cut off by a total deadline."""

import socket
import threading
import time

import pytest

from nn import fetch as fetch_module
from nn.cli import main


@pytest.fixture
def raw_server():
    """A loopback TCP server answering every connection with `reply(conn)`; yields a setter."""
    sock = socket.create_server(("127.0.0.1", 0))
    state = {"reply": lambda conn: None, "stop": threading.Event()}

    def serve() -> None:
        while not state["stop"].is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                state["reply"](conn)
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()

    def set_reply(reply) -> str:
        state["reply"] = reply
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"

    yield set_reply
    state["stop"].set()
    sock.close()


def send(data: bytes):
    return lambda conn: conn.sendall(data)


def drip(head: bytes, stop: threading.Event):
    def reply(conn: socket.socket) -> None:
        conn.sendall(head)
        while not stop.is_set():
            conn.sendall(b"x")
            time.sleep(0.05)
    return reply


REPLIES = {
    "bad status line": send(b"HTTP/1.1 two hundred OK\r\n\r\nhello"),
    "not http at all": send(b"\x00\x01\x02garbage\r\n\r\n"),
    "bad chunking": send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n"),
    "short body": send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this"),
    "64 KB header": send(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"),
    "closes at once": send(b""),
}


@pytest.mark.parametrize("case", REPLIES)
def test_broken_servers_are_one_line(raw_server, tmp_path, capsys, case) -> None:
    url = raw_server(REPLIES[case])
    assert main(["fetch", "mnist", "--dir", str(tmp_path / "m"), "--base-url", url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not get") and len(err.splitlines()) == 1, err
    assert not list((tmp_path / "m").glob(".*"))  # no temp files left behind


def test_a_url_without_a_scheme(tmp_path, capsys) -> None:
    assert main(["fetch", "mnist", "--dir", str(tmp_path / "m"), "--base-url", "example.com/mnist"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not get") and len(err.splitlines()) == 1


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_hits_the_total_deadline(raw_server, tmp_path, capsys, monkeypatch, where) -> None:
    monkeypatch.setattr(fetch_module, "DEADLINE", 0.5)
    stop = threading.Event()
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" if where == "body" else b"HTTP/1.1 200 OK\r\nX-A: "
    url = raw_server(drip(head, stop))
    started = time.monotonic()
    try:
        assert main(["fetch", "mnist", "--dir", str(tmp_path / "m"), "--base-url", url]) == 2
    finally:
        stop.set()
    assert time.monotonic() - started < 10  # 4 files x 0.5 s, not forever
    assert "not finished after 0.5 s" in capsys.readouterr().err
