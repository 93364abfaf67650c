"""LINE's minimal echo bot (the SDK's flask-echo sample pattern), as the latency floor for bench/load_webhook.py.

Reads its settings from the environment at app creation (gunicorn 'bench.echo_bot:create_app()').
"""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent


def create_app() -> Flask:
    """The echo bot: verify, then reply with the same text, inside the request."""
    app = Flask(__name__)
    handler = WebhookHandler(os.environ["LINE_CHANNEL_SECRET"])
    configuration = Configuration(host=os.environ["LINE_API_BASE_URL"],
                                  access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"])

    @app.post("/callback")
    def callback() -> str:
        signature = request.headers["X-Line-Signature"]
        body = request.get_data(as_text=True)
        try:
            handler.handle(body, signature)
        except InvalidSignatureError:
            abort(400)
        return "OK"

    @handler.add(MessageEvent, message=TextMessageContent)
    def handle_message(event: MessageEvent) -> None:
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(ReplyMessageRequest(
                reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)]))

    return app
