"""The monthly chart: an image message with an unguessable, expiring https URL the app serves."""

from __future__ import annotations

import dataclasses
import io
import struct

import pytest
from itsdangerous import URLSafeTimedSerializer

from bot.db import transaction
from tests.conftest import MANAGER, OFFICER
from tests.test_progress import put

pytestmark = pytest.mark.usefixtures("people")
BASE = "https://kpi.example.go.th"


@pytest.fixture
def public_app(app):  # type: ignore[no-untyped-def]
    services = app.extensions["bot"]
    app.extensions["bot"] = dataclasses.replace(services, settings=dataclasses.replace(
        services.settings, public_base_url=BASE))
    return app


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_progress_answer_carries_a_chart_the_app_serves(public_app, chat, sessions):
    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-10", 100, project=3)
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 150, project=1)
    answer = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER)
    assert [m["type"] for m in answer.messages] == ["flex", "image"]
    url = answer.messages[1]["originalContentUrl"]
    assert url.startswith(f"{BASE}/charts/") and url.endswith(".png")
    response = public_app.test_client().get(url.removeprefix(BASE))
    assert response.status_code == 200 and response.mimetype == "image/png"
    width, height = png_size(response.data)
    assert (width, height) == (960, 540)


def test_tampered_or_expired_chart_links_are_404(public_app, chat):
    url = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER).messages[1]["originalContentUrl"]
    path = url.removeprefix(BASE)
    client = public_app.test_client()
    assert client.get(path.replace(".png", "x.png")).status_code == 404
    forged = URLSafeTimedSerializer("not-the-secret", salt="progress-chart").dumps({"i": "2.1.1", "d": "2024-02-15"})
    assert client.get(f"/charts/{forged}.png").status_code == 404
    old = URLSafeTimedSerializer(public_app.extensions["bot"].settings.line_channel_secret, salt="progress-chart")
    stale = old.dumps({"i": "2.1.1", "d": "2024-02-15"})
    import bot.web.charts

    original = bot.web.charts.TOKEN_MAX_AGE
    bot.web.charts.TOKEN_MAX_AGE = -1  # every token is already too old
    try:
        assert client.get(f"/charts/{stale}.png").status_code == 404
    finally:
        bot.web.charts.TOKEN_MAX_AGE = original


def test_no_public_https_address_means_no_image(app, chat):
    answer = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER)
    assert [m["type"] for m in answer.messages] == ["flex"]


def test_officers_get_their_card_without_the_national_chart(public_app, chat):
    assert [m["type"] for m in chat.send("ความคืบหน้าเป้าหมาย 2.1", user=OFFICER).messages] == ["flex"]


def test_chart_renders_in_memory(db):
    from datetime import date

    from handlers.domain.indicators import indicator_by_code
    from handlers.domain.progress import compute
    from handlers.present.chart import render

    with transaction(db) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-11", 40, project=3)
    with db() as session:
        png = render(compute(session, indicator_by_code(session, "2.1.1"), date(2024, 2, 15)))
    assert png_size(png) == (960, 540) and len(io.BytesIO(png).getvalue()) > 5000
