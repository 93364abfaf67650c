"""The plans the bot knows: plans, goals, indicators, targets, projects and offices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime


class Office(Base):
    """A reporting unit: one of the 76 provincial commerce offices, or a central unit."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # provincial | central
    name_th: Mapped[str] = mapped_column(String(200))
    province_th: Mapped[str | None] = mapped_column(String(100), unique=True)
    province_en: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class Plan(Base):
    """One plan document: the OPS action plan or the DITP KPI template."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # action_plan | kpi_template
    version: Mapped[int] = mapped_column(Integer)
    title_th: Mapped[str] = mapped_column(Text)
    owner_th: Mapped[str] = mapped_column(String(200))
    owner_abbr: Mapped[str | None] = mapped_column(String(32))
    fiscal_year_be: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # vision, bases, rounds, budget

    goals: Mapped[list[Goal]] = relationship(back_populates="plan", order_by="Goal.code")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="plan", order_by="Indicator.position")


class Goal(Base):
    """A goal (เป้าหมาย) of the OPS plan, under one of its issues (ประเด็น)."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(16))
    title_th: Mapped[str] = mapped_column(Text)
    issue_number: Mapped[int] = mapped_column(Integer)
    issue_title_th: Mapped[str] = mapped_column(Text)
    budget_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    plan: Mapped[Plan] = relationship(back_populates="goals")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="goal", order_by="Indicator.position")
    projects: Mapped[list[Project]] = relationship(back_populates="goal", order_by="Project.number")


class Indicator(Base):
    """A measurable indicator (OPS) or weighted KPI (DITP)."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    title_th: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(64))
    value_kind: Mapped[str] = mapped_column(String(16))  # amount_mb | percent | score | count | ratio | level
    aggregation: Mapped[str] = mapped_column(String(16))  # sum | weighted_mean | latest
    reported_by: Mapped[str] = mapped_column(String(16))  # provincial | central
    responsible_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    weight: Mapped[float | None] = mapped_column(Float)  # DITP KPI weight (percent)
    base: Mapped[str | None] = mapped_column(String(16))  # DITP: performance | potential
    baselines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # definition, formula, ratio parts

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    goal: Mapped[Goal | None] = relationship(back_populates="indicators")
    targets: Mapped[list[Target]] = relationship(
        back_populates="indicator", order_by="(Target.round, Target.level)", cascade="all, delete-orphan"
    )


class Target(Base):
    """A target value over a window; for DITP KPIs one row per round and criteria level (50/75/100)."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("indicator_id", "round", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    round: Mapped[int] = mapped_column(Integer, default=0)  # 0 = the plan's single target
    level: Mapped[int] = mapped_column(Integer, default=100)
    value: Mapped[float | None] = mapped_column(Float)
    comparison: Mapped[str] = mapped_column(String(16), default="at_least")
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class Project(Base):
    """A funded project under a goal (the 8 community-trade projects of goal 2.1)."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("goal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"))
    number: Mapped[int] = mapped_column(Integer)
    title_th: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsible_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    budget_mb: Mapped[dict[str, float | None]] = mapped_column(JSON, default=dict)

    goal: Mapped[Goal] = relationship(back_populates="projects")


class Allocation(Base):
    """An office's own target for an indicator (the seed gives only national ones), loaded by `targets import`.

    `round` 0 is the plan window's target; a DITP KPI may carry a round's input (KPI-4 round 1: the 2567 target
    count of SMEs, which the template never states).
    """

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("office_id", "indicator_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    round: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship()
    indicator: Mapped[Indicator] = relationship()
