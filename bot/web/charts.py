"""GET /charts/<token>.png: the monthly chart of a progress answer, for LINE to fetch (see handlers.present.chart)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app
from itsdangerous import BadSignature, SignatureExpired

from handlers.present.chart import TOKEN_MAX_AGE, render, serializer

bp = Blueprint("charts", __name__)


@bp.get("/charts/<token>.png")
def chart(token: str) -> Response:
    """Serve a chart whose token is valid and not expired; anything else is a plain 404."""
    from handlers.domain.indicators import indicator_by_code
    from handlers.domain.progress import compute

    services = current_app.extensions["bot"]
    try:
        data = serializer(services.settings.line_channel_secret).loads(token, max_age=TOKEN_MAX_AGE)
    except (SignatureExpired, BadSignature):
        abort(404)
    with services.sessions() as session:
        indicator = indicator_by_code(session, str(data.get("i")))
        if indicator is None:
            abort(404)
        progress = compute(session, indicator, date.fromisoformat(str(data.get("d"))))
    png = render(progress)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})
