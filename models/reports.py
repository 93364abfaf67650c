"""Reported figures and their never-deleted version history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.catalogue import Indicator, Office, Project


class ReportValue(Base):
    """The current value for one office, indicator, project and month."""

    __tablename__ = "report_values"
    __table_args__ = (
        # project_id is NULL for indicators without projects; NULLs never collide in a plain unique index.
        Index(
            "uq_report_values_key",
            "office_id",
            "indicator_id",
            "period",
            text("coalesce(project_id, 0)"),
            unique=True,
        ),
        Index("ix_report_values_indicator_period", "indicator_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    period: Mapped[str] = mapped_column(String(7))  # Gregorian YYYY-MM
    value: Mapped[float] = mapped_column(Float)
    respondents: Mapped[int | None] = mapped_column(Integer)
    # Ratio KPIs (DITP: trade value ÷ budget) keep both reported figures; value is their quotient.
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    # A KPI scored by criteria steps on more than one figure (KPI-6: the registration share beside the quality
    # share in `value`): {part key: figure}, keys as the plan file's steps name them.
    parts: Mapped[dict[str, float] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8), default="active")  # active | void
    version: Mapped[int] = mapped_column(Integer, default=1)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped[Office] = relationship()
    indicator: Mapped[Indicator] = relationship()
    project: Mapped[Project | None] = relationship()
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.version"
    )


class ReportVersion(Base):
    """One change to a report value: who, when, old → new, and the message it came from."""

    __tablename__ = "report_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report_values.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # create | replace | add | void | import
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    old_respondents: Mapped[int | None] = mapped_column(Integer)
    new_respondents: Mapped[int | None] = mapped_column(Integer)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source_message: Mapped[str | None] = mapped_column(Text)
    source_event_id: Mapped[str | None] = mapped_column(String(64))

    report: Mapped[ReportValue] = relationship(back_populates="versions")
