"""Classes of a school (or a teacher's own), a class roster (asked for a purpose first) and a learner's record
with its history and access log."""

from __future__ import annotations

from esis_shared.web import redirect, render
from fastapi import APIRouter
from fastapi.responses import Response

from education.entrypoints.api.pages.common import PageDep, guard
from education.service_layer import desk_views, views

router = APIRouter(include_in_schema=False)


@router.get("/education/")
def home(p: PageDep) -> Response:
    return redirect("/education/classes")


@router.get("/education/classes")
def classes(p: PageDep, school_id: str = "", year_id: str = "") -> Response:
    if p.principal.role == "teacher":
        lines, school, year = guard(lambda: desk_views.teacher_classes(p.ctx())), "", ""
    else:
        school, year = p.school_id(school_id), p.year_id(year_id)
        lines = guard(lambda: desk_views.class_overview(p.ctx(), school, year)) if school else []
    years = desk_views.school_years(p.ctx())
    return render(p.request, "edu_classes.html", {**p.frame("classes", school), "lines": lines, "year_id": year,
                                                  "years": years})


@router.get("/education/classes/{class_id}")
def roster(p: PageDep, class_id: str, purpose: str = "") -> Response:
    if not purpose.strip():
        found = guard(lambda: desk_views.class_for_page(p.ctx(), class_id))
        return render(p.request, "edu_purpose.html", {**p.frame("classes", found.school_id),
                                                      "action": f"/education/classes/{class_id}",
                                                      "what": found.name})
    found, members = guard(lambda: views.class_roster(p.ctx(), class_id, as_of=None, purpose=purpose))
    return render(p.request, "edu_roster.html", {**p.frame("classes", found.school_id), "cls": found,
                                                 "members": members, "purpose": purpose})


@router.get("/education/learners/{learner_id}")
def learner(p: PageDep, learner_id: str, purpose: str = "") -> Response:
    if not purpose.strip():
        return render(p.request, "edu_purpose.html", {**p.frame("classes"), "what": "",
                                                      "action": f"/education/learners/{learner_id}"})
    record = guard(lambda: views.learner_record(p.ctx(), learner_id, purpose=purpose))
    reads = guard(lambda: views.access_log(p.ctx(), learner_id)) if p.principal.role != "teacher" else []
    places = _places(p, record)
    school = record.learner.open_enrolment.school_id if record.learner.open_enrolment else record.learner.school_id
    links = {link.guardian_id: link for link in record.learner.guardian_links}
    return render(p.request, "edu_learner.html", {**p.frame("classes", school), "record": record, "reads": reads,
                                                  "places": places, "links": links, "purpose": purpose})


def _places(p: PageDep, record: views.LearnerRecord) -> dict[str, str]:
    """Names of the schools and classes in the learner's history."""
    enrolments, transfers = record.learner.enrolments, record.transfers
    schools = {e.school_id for e in enrolments} | {x for t in transfers for x in (t.from_school_id, t.to_school_id)}
    schools.add(record.learner.school_id)
    classes = desk_views.class_names(p.ctx(), {e.class_id for e in enrolments})
    return {**desk_views.org_names(p.ctx(), schools), **classes}
