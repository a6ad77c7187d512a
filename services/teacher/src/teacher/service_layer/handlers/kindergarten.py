"""Growth measurements and development observations of kindergarten children."""

from __future__ import annotations

from datetime import date

from teacher.domain.access import Actor, require_teaches
from teacher.domain.errors import Refused
from teacher.domain.kindergarten import DevelopmentObservation, GrowthMeasurement
from teacher.domain.rosters import ClassRoster
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context, load_roster, not_in_future, where_of
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


def _child_of_group(uow: AbstractUnitOfWork, actor: Actor, class_id: str, learner_id: str, day: date,
                    ctx: Context) -> ClassRoster:
    roster = load_roster(uow, class_id)
    if not roster.info.is_kindergarten:
        raise Refused(f"Class {roster.info.name} is not a kindergarten group",
                      f"{roster.info.name} нь цэцэрлэгийн бүлэг биш.", code="not_a_kindergarten_group")
    require_teaches(actor, roster, day)
    not_in_future(day, ctx)
    if not roster.is_enrolled(learner_id, day):
        raise Refused(f"{learner_id} was not in group {roster.info.name} on {day}",
                      f"{learner_id} {day}-нд {roster.info.name} бүлэгт бүртгэлгүй байсан.",
                      code="learner_not_enrolled", learner_ids=[learner_id])
    return roster


def record_growth(cmd: commands.RecordGrowth, uow: AbstractUnitOfWork, ctx: Context) -> GrowthMeasurement:
    with uow:
        roster = _child_of_group(uow, cmd.actor, cmd.class_id, cmd.learner_id, cmd.measured_on, ctx)
        earlier = [m for m in uow.kindergarten.measurements(cmd.learner_id) if m.measured_on <= cmd.measured_on]
        measurement = GrowthMeasurement.record(
            measurement_id=ctx.new_id(), learner_id=cmd.learner_id, where=where_of(roster),
            measured_on=cmd.measured_on, height_cm=cmd.height_cm, weight_kg=cmd.weight_kg,
            previous=earlier[-1] if earlier else None, rules=ctx.reference.growth, confirmed=cmd.confirmed,
            by=cmd.actor.account_id, at=ctx.now())
        uow.kindergarten.add_measurement(measurement)
        uow.commit()
    return measurement


def record_observation(cmd: commands.RecordObservation, uow: AbstractUnitOfWork,
                       ctx: Context) -> DevelopmentObservation:
    domain = ctx.reference.development_domains.get(cmd.domain, "domain").code
    level = ctx.reference.development_levels.get(cmd.level, "level").code
    with uow:
        roster = _child_of_group(uow, cmd.actor, cmd.class_id, cmd.learner_id, cmd.observed_on, ctx)
        observation = DevelopmentObservation.record(
            observation_id=ctx.new_id(), learner_id=cmd.learner_id, where=where_of(roster),
            observed_on=cmd.observed_on, domain=domain, level=level, note=cmd.note, by=cmd.actor.account_id,
            at=ctx.now())
        uow.kindergarten.add_observation(observation)
        uow.commit()
    return observation
