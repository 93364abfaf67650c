"""ลงทะเบียน <code>: bind the sender to the invite's role and office."""

from __future__ import annotations

from handlers.context import Context
from handlers.domain.invites import redeem
from handlers.present.replies import Reply
from handlers.present.texts import HELP_QUICK
from nlp.intents import register_code

ROLE_TH = {"officer": "เจ้าหน้าที่", "manager": "ผู้บริหาร", "admin": "ผู้ดูแลระบบ"}


def handle(ctx: Context) -> Reply:
    """Redeem the code in the message; problems come back as UserError with Thai text."""
    code = register_code(ctx.incoming.text or "") or ""
    assert ctx.incoming.line_user_id is not None
    user = redeem(ctx.session, code, ctx.incoming.line_user_id, ctx.now)
    where = f" {user.office.name_th}" if user.office else ""
    return Reply.text(
        f"ลงทะเบียนเรียบร้อยแล้วครับ\nบทบาท: {ROLE_TH.get(user.role, user.role)}{where}\nพิมพ์ วิธีใช้ เพื่อเริ่มต้น",
        quick=HELP_QUICK, intent="register",
    )
