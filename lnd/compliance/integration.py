"""What compliance adds to other modules' pages at app start: on a course page, the requirement
rules that make the course required learning (who, by when, and any named default)."""
from __future__ import annotations

from flask import Flask

from lnd.compliance import queries, rules
from lnd.compliance.models import Requirement
from lnd.courses.views import add_course_panel


def requirement_sentence(requirement: Requirement) -> str:
    """'Required of everyone in Children's Care within 4 weeks of starting.'"""
    label = requirement.audience_label
    who = label[:1].lower() + label[1:]
    text = f"Required of {who} within {requirement.window} of starting"
    if requirement.audience in rules.ROLE_BASED:
        text += " (or of moving into the role)"
    if requirement.renewal:
        text += f", and renewed every {requirement.renewal}"
    text += "."
    if requirement.starts_on:
        day = requirement.starts_on
        text += f" People already in post on {day.day} {day:%B %Y} are counted from that date."
    return text


def requirement_panel(course) -> dict | None:
    requirements = queries.requirements_for_course(course)
    if not requirements:
        return None
    return {
        "id": "required-learning",
        "heading": "Who must complete this course",
        "items": [{"title": r.title, "text": requirement_sentence(r), "note": r.default_note} for r in requirements],
    }


def init_app(app: Flask) -> None:
    add_course_panel(app, requirement_panel)
