"""SQLAlchemy 2 models of the bot's database."""

from models.base import Base, utcnow
from models.catalogue import Allocation, Goal, Indicator, Office, Plan, Project, Target
from models.messaging import ConversationState, InboundEvent, OutboundMessage, ScheduledSend
from models.people import ROLES, InviteCode, User
from models.reports import ReportValue, ReportVersion

__all__ = [
    "ROLES",
    "Allocation",
    "Base",
    "ConversationState",
    "Goal",
    "InboundEvent",
    "Indicator",
    "InviteCode",
    "Office",
    "OutboundMessage",
    "Plan",
    "Project",
    "ReportValue",
    "ReportVersion",
    "ScheduledSend",
    "Target",
    "User",
    "utcnow",
]
