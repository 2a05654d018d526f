"""Read models for the Centre for Practice Excellence pages (a fixed number of statements each)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from lnd.cfpe import rules
from lnd.cfpe.models import CareerConsultation, NewStarterContact
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, OD_ADMIN, Organisation, Person

COMPLETED_SHOWN = 25


def _new_starters(today: date):
    earliest, latest = rules.new_starter_window(today)
    return (select(Person).join(Organisation, Person.organisation_id == Organisation.id)
            .where(Organisation.kind == CHILDRENS_CARE, Person.start_date >= earliest, Person.start_date <= latest,
                   or_(Person.leaving_date.is_(None), Person.leaving_date >= today)))


def new_starters_to_contact(today: date) -> list[Person]:
    """New starters in the window with no contact recorded, earliest start first."""
    contacted = select(NewStarterContact.person_id)
    return list(db.session.scalars(_new_starters(today).where(Person.id.not_in(contacted))
                                   .order_by(Person.start_date, Person.last_name, Person.first_name)))


def contacted_new_starters(today: date) -> list[NewStarterContact]:
    """Contacts made with the new starters in the window, most recent first."""
    in_window = _new_starters(today).with_only_columns(Person.id)
    return list(db.session.scalars(
        select(NewStarterContact).where(NewStarterContact.person_id.in_(in_window))
        .order_by(NewStarterContact.contacted_on.desc(), NewStarterContact.id.desc())))


def contact_of(person_id: int) -> NewStarterContact | None:
    return db.session.scalar(select(NewStarterContact).where(NewStarterContact.person_id == person_id))


def consultation_by_id(consultation_id: int) -> CareerConsultation | None:
    return db.session.get(CareerConsultation, consultation_id)


def can_view_consultation(viewer: Person, consultation: CareerConsultation) -> bool:
    """The person who asked and the OD team. Not their manager: someone may want to talk about
    moving on before telling their manager."""
    return consultation.person_id == viewer.id or viewer.has_role(OD_ADMIN)


def open_consultations() -> list[CareerConsultation]:
    return list(db.session.scalars(
        select(CareerConsultation).where(CareerConsultation.status.in_(rules.OPEN_STATUSES))
        .order_by(CareerConsultation.requested_at, CareerConsultation.id)))


def completed_consultations(limit: int = COMPLETED_SHOWN) -> list[CareerConsultation]:
    return list(db.session.scalars(
        select(CareerConsultation).where(CareerConsultation.status == rules.COMPLETED)
        .order_by(CareerConsultation.updated_at.desc(), CareerConsultation.id.desc()).limit(limit)))


def consultations_of(person_id: int) -> list[CareerConsultation]:
    return list(db.session.scalars(
        select(CareerConsultation).where(CareerConsultation.person_id == person_id)
        .order_by(CareerConsultation.requested_at.desc(), CareerConsultation.id.desc())))
