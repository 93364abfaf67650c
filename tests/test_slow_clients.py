"""Issue 14 item 11: slow clients cannot hold the web server. Two sockets sending a request a byte at a time held
both of gunicorn's sync workers, and a real webhook waited 34 s. The Procfile's own `web:` command is run here,
with two such sockets open, and a signed webhook must still be answered at once."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.db import make_engine, make_session_factory, transaction
from bot.dev import line_events
from bot.migrate import upgrade
from handlers.domain.catalogue import load_catalogue
from tests.conftest import ACCESS_TOKEN  # what the fake LINE platform accepts

ROOT = Path(__file__).resolve().parent.parent
SECRET = "slow-client-secret"


def procfile_command(process: str) -> str:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith(f"{process}:"))
    return line.split(":", 1)[1].strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, fake_line):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_catalogue(session)
    engine.dispose()
    port = free_port()
    env = {**os.environ, "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}", "PORT": str(port),
           "WEB_CONCURRENCY": "2", "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET,
           "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN, "LINE_API_BASE_URL": fake_line.base_url, "PYTHAINLP_OFFLINE": "1",
           "PYTHAINLP_READ_ONLY": "1"}
    # the Procfile binds 0.0.0.0; the test keeps it on loopback
    command = procfile_command("web").replace("0.0.0.0", "127.0.0.1")
    log = (tmp_path / "web.log").open("w")
    proc = subprocess.Popen(["bash", "-c", f"exec env {command}"], cwd=ROOT, env=env, stdout=log, stderr=log)
    # the web processes only record and answer (HANDLING=queue): the Procfile's handler process answers people
    handler = subprocess.Popen(["bash", "-c", f"exec env {procfile_command('handler')}"], cwd=ROOT, env=env,
                               stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/callback", timeout=1)
        except urllib.error.HTTPError:
            break  # 405 for GET: it is up
        except OSError:
            time.sleep(0.2)
    else:
        for p in (proc, handler):
            p.kill()
            p.wait()
        pytest.fail("the Procfile's web command did not start")
    try:
        yield port, tmp_path / "web.log"
    finally:
        log.close()
        for p in (proc, handler):
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_two_slow_clients_do_not_hold_the_webhook(server):
    server, _ = server
    slow = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", server))
        s.sendall(b"POST /callback HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Len")
        slow.append(s)  # a request begun and never finished
    time.sleep(0.5)
    body = line_events.callback_body([])  # LINE's Verify batch
    request = urllib.request.Request(f"http://127.0.0.1:{server}/callback", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "X-Line-Signature": line_events.sign(body, SECRET)})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert time.monotonic() - started < 2.0  # LINE gives up after 2 s
    for s in slow:
        s.close()


def test_the_procfile_server_writes_one_log_line_per_event(server, fake_line):
    """The attacker's break 5: under gunicorn nothing configured Python's logging, so the README's one line per
    event and per LINE call never appeared. The Procfile's web and handler processes together answer the event."""
    port, log = server
    token = fake_line.issue_reply_token("U" + "4" * 32)
    body = line_events.callback_body([line_events.text_event("U" + "4" * 32, "สวัสดี", reply_token=token)])
    request = urllib.request.Request(f"http://127.0.0.1:{port}/callback", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "X-Line-Signature": line_events.sign(body, SECRET)})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "LINE API 200" not in log.read_text():
        time.sleep(0.1)
    text = log.read_text()
    assert any(r.path.endswith("/reply") and r.status == 200 and (r.body or {}).get("replyToken") == token
               for r in fake_line.requests)  # the person got an answer, to that event
    assert " INFO bot.line.inbox: event=" in text and "outcome=done" in text
    assert "INFO bot.line.gateway: LINE API 200" in text
