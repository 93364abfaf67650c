"""Thai texts shared by several handlers, kept in one place so they read the same everywhere."""

from __future__ import annotations

from handlers.present.replies import QuickReply

HOW_TO_REGISTER = (
    "ยังไม่ได้ลงทะเบียนครับ\n"
    "กรุณาขอรหัสลงทะเบียนจากผู้ดูแลระบบของสำนักงาน แล้วพิมพ์\n"
    "ลงทะเบียน <รหัส>\n"
    "เช่น ลงทะเบียน K7QM-4XPD-92HT"
)

GREETING = (
    "สวัสดีครับ ยินดีต้อนรับสู่บอทติดตามตัวชี้วัด สป.พณ.\n"
    "บอทนี้รับรายงานผลรายเดือนของสำนักงานพาณิชย์จังหวัด "
    "และตอบความคืบหน้าตามแผนปฏิบัติราชการ พ.ศ. 2567"
)

APOLOGY = "ขออภัยครับ ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในอีกสักครู่"

HELP_QUICK = [QuickReply("วิธีใช้", "วิธีใช้")]
