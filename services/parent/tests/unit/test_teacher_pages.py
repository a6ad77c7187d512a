"""The teacher's pages of the parent portal through the app (no browser): the inbox with conversations awaiting a
reply first, replying, writing to a guardian, answering a consultation request with a time or a reason — and that
neither a guardian nor a teacher of another class gets in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from esis_shared.auth import Principal
from fastapi.testclient import TestClient
from parent.domain.school import ClassInfo, SchoolInfo
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import messaging as m
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child

from .apptools import container, token
from .conftest import MOTHER, OTHER_TEACHER, STRANGER, TEACHER, claim
from .fakes import NOON_UB, Clock

INBOX = "/parent/teacher/inbox"


@pytest.fixture
def world(tmp_path):
    """Bat's mother and Temuulen's father (both 5Б) wrote to the teacher; the mother also asked for a meeting."""
    clock = Clock(NOON_UB - timedelta(hours=2))
    built = container(tmp_path, clock=clock)
    deps = built.deps
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    claim_child(ClaimChild(STRANGER.subject, claim("УБ14270101", "Болд", "88001122")), deps)
    with deps.uow() as uow:
        p.school_created(uow, SchoolInfo("sch-1", "Улаанбаатар 1-р сургууль", "UB-001"))
        p.class_opened(uow, ClassInfo("cls-5b", "sch-1", "2026-2027", "5", "Б"))
        uow.commit()
    sport = m.start_thread(m.StartThread("lrn-other", "acc-teacher", "Спортын заал", "Заал хэзээ нээгдэх вэ?"),
                           STRANGER, deps)
    clock.now += timedelta(hours=1)
    homework = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Гэрийн даалгавар", "Тодруулж өгнө үү."),
                              MOTHER, deps)
    clock.now += timedelta(minutes=30)
    m.post_message(homework.thread_id, "Маргааш хэлье.", TEACHER, deps)
    meeting = m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Математикийн дүн",
                                                           "Мягмар 17:00-с хойш"), MOTHER, deps)
    clock.now = NOON_UB
    app = build_app(built)
    yield {"app": app, "deps": deps, "sport": sport.thread_id, "homework": homework.thread_id,
           "meeting": meeting.consultation_id}
    built.close()


def client_for(world, principal: Principal) -> TestClient:
    client = TestClient(world["app"])
    client.cookies.set("esis_session", token(principal))
    return client


@pytest.fixture
def teacher(world) -> TestClient:
    return client_for(world, TEACHER)


def csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert found, f"no form on {path}"
    return found.group(1)


def post(client: TestClient, path: str, form_page: str, **fields: str):
    return client.post(path, data={"csrftoken": csrf(client, form_page), **fields}, follow_redirects=False)


def test_the_inbox_lists_conversations_awaiting_a_reply_first_and_the_open_requests(teacher, world) -> None:
    answer = teacher.get(INBOX)
    html = answer.text

    assert answer.status_code == 200 and answer.headers["content-language"] == "mn"
    assert "Эцэг эхийн захидал" in html
    # the father's older question is still unanswered, so it comes before the mother's newer, answered one
    assert html.index("Спортын заал") < html.index("Гэрийн даалгавар")
    assert html.count("Таны хариуг хүлээж байна") == 1
    assert "Б.Тэмүүлэн" in html and "Д.Бат" in html and "5Б" in html and "Ээж" in html and "Аав" in html
    requests = html[html.index("Уулзалтын хүсэлт"):html.index("Харилцан яриа")]
    assert "Математикийн дүн" in requests and "Мягмар 17:00-с хойш" in requests


def test_the_inbox_in_english_on_request(teacher) -> None:
    html = teacher.get(f"{INBOX}?lang=en").text

    assert "Parents' messages" in html and "Awaiting your reply" in html and "Consultation requests" in html


def test_a_teacher_of_another_class_sees_none_of_it_and_guessed_ids_are_not_found(world) -> None:
    other = client_for(world, OTHER_TEACHER)
    html = other.get(INBOX).text

    assert "Спортын заал" not in html and "Математикийн дүн" not in html
    for path in (f"/parent/teacher/threads/{world['sport']}", f"/parent/teacher/consultations/{world['meeting']}",
                 "/parent/teacher/threads/thr-0000000000000000", "/parent/teacher/consultations/cns-guess"):
        answer = other.get(path)
        assert answer.status_code == 404, path
        assert "Спортын заал" not in answer.text and "Математикийн дүн" not in answer.text


def test_a_teacher_no_longer_teaching_the_class_cannot_answer_the_old_request(world) -> None:
    moved = client_for(world, Principal("acc-teacher", "teacher", class_ids=frozenset({"cls-9a"}), name="Б.Сараа"))

    assert "Математикийн дүн" not in moved.get(INBOX).text
    answer = post(moved, f"/parent/teacher/consultations/{world['meeting']}", INBOX, decision="decline",
                  reason="Өөр анги")
    assert answer.status_code == 404
    assert "Математикийн дүн" in client_for(world, TEACHER).get(INBOX).text.split("Харилцан яриа")[0]


@pytest.mark.parametrize("path", [INBOX, "/parent/teacher/threads/new", "/parent/teacher/threads/{homework}",
                                  "/parent/teacher/consultations/{meeting}"])
def test_a_guardian_does_not_reach_the_teacher_pages(world, path) -> None:
    mother = client_for(world, MOTHER)
    answer = mother.get(path.format(**world))

    assert answer.status_code == 403
    assert "Математикийн дүн" not in answer.text and "Маргааш хэлье" not in answer.text


def test_a_guardian_cannot_answer_her_own_request_through_the_teacher_form(world) -> None:
    mother = client_for(world, MOTHER)
    answer = post(mother, f"/parent/teacher/consultations/{world['meeting']}", "/parent/children/lrn-bat/messages",
                  decision="accept", scheduled_for="2026-12-02T17:30")

    assert answer.status_code == 403
    assert "Математикийн дүн" in client_for(world, TEACHER).get(INBOX).text.split("Харилцан яриа")[0]


def test_the_teacher_replies_and_the_guardian_reads_it(teacher, world) -> None:
    thread = f"/parent/teacher/threads/{world['sport']}"
    answer = post(teacher, thread, thread, text="Даваа гарагаас нээгдэнэ.")

    assert answer.status_code == 303 and answer.headers["location"] == f"{thread}?sent=1"
    assert "Хариу илгээгдлээ." in teacher.get(answer.headers["location"]).text
    assert "Таны хариуг хүлээж байна" not in teacher.get(INBOX).text
    father = client_for(world, STRANGER)
    assert "Даваа гарагаас нээгдэнэ." in father.get(f"/parent/threads/{world['sport']}").text


def test_an_empty_reply_is_refused_next_to_the_field_and_nothing_is_sent(teacher, world) -> None:
    thread = f"/parent/teacher/threads/{world['sport']}"
    answer = post(teacher, thread, thread, text="   ")

    assert answer.status_code == 422
    assert 'id="f-text-error"' in answer.text and "Эхлээд бичнэ үү." in answer.text
    assert teacher.get(thread).text.count('class="from-') == 1


def test_a_reply_without_the_form_token_is_refused(teacher, world) -> None:
    thread = f"/parent/teacher/threads/{world['sport']}"
    teacher.get(thread)
    answer = teacher.post(thread, data={"text": "Хуурамч"}, follow_redirects=False)

    assert answer.status_code == 403
    assert "Хуурамч" not in teacher.get(thread).text


def test_accepting_with_a_time_tells_the_guardian_the_time_in_ulaanbaatar(teacher, world) -> None:
    page = f"/parent/teacher/consultations/{world['meeting']}"
    answer = post(teacher, page, page, decision="accept", scheduled_for="2026-12-02T17:30", place="202 тоот")

    assert answer.status_code == 303 and answer.headers["location"] == f"{INBOX}?answered=accept"
    inbox = teacher.get(answer.headers["location"]).text
    assert "Уулзалтын цаг товлогдож" in inbox
    assert "Хариулагдсан хүсэлтүүд" in inbox and "2026-12-02 17:30" in inbox
    with world["deps"].uow() as uow:
        assert uow.consultations.get(world["meeting"]).scheduled_for == datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    mother = client_for(world, MOTHER).get("/parent/children/lrn-bat/messages").text
    assert "Зөвшөөрсөн" in mother and "2026-12-02 17:30" in mother and "202 тоот" in mother


@pytest.mark.parametrize(("typed", "message"), [("", "Цагаа сонгоно уу."),
                                                ("2026-11-29T10:00", "Ирээдүйн цагийг сонгоно уу."),
                                                ("маргааш", "Цагийг 2026-12-02 17:30 гэж бичнэ үү.")])
def test_accepting_needs_a_future_time(teacher, world, typed, message) -> None:
    page = f"/parent/teacher/consultations/{world['meeting']}"
    answer = post(teacher, page, page, decision="accept", scheduled_for=typed, place="202 тоот")

    assert answer.status_code == 422
    assert 'id="f-scheduled_for-error"' in answer.text and message in answer.text
    assert 'value="202 тоот"' in answer.text
    with world["deps"].uow() as uow:
        assert uow.consultations.get(world["meeting"]).state == "requested"


def test_declining_needs_a_reason_and_the_guardian_reads_it(teacher, world) -> None:
    page = f"/parent/teacher/consultations/{world['meeting']}"
    refused = post(teacher, page, page, decision="decline", reason=" ")

    assert refused.status_code == 422 and "Татгалзах шалтгаанаа бичнэ үү." in refused.text
    assert 'id="f-reason-error"' in refused.text
    declined = post(teacher, page, page, decision="decline", reason="Энэ долоо хоногт сургалттай.")
    assert declined.status_code == 303
    mother = client_for(world, MOTHER).get("/parent/children/lrn-bat/messages").text
    assert "Татгалзсан" in mother and "Энэ долоо хоногт сургалттай." in mother


def test_a_request_answered_once_cannot_be_answered_again(teacher, world) -> None:
    page = f"/parent/teacher/consultations/{world['meeting']}"
    post(teacher, page, page, decision="decline", reason="Завгүй")
    again = teacher.post(page, data={"csrftoken": teacher.cookies["csrftoken"], "decision": "accept",
                                     "scheduled_for": "2026-12-02T17:30"}, follow_redirects=False)

    assert again.status_code == 409 and "аль хэдийн хариулсан" in again.text
    with world["deps"].uow() as uow:
        assert uow.consultations.get(world["meeting"]).state == "declined"


def test_the_teacher_writes_to_a_guardian_of_a_child_in_the_class(teacher, world) -> None:
    form = teacher.get("/parent/teacher/threads/new").text
    assert 'value="lrn-bat|acc-mother"' in form and 'value="lrn-other|acc-stranger"' in form

    answer = post(teacher, "/parent/teacher/threads/new", "/parent/teacher/threads/new", to="lrn-bat|acc-mother",
                  subject="Эцэг эхийн хурал", text="Баасан гарагт 18:00 цагт.")

    # the teacher already talks with Bat's mother: the message continues that conversation
    assert answer.status_code == 303 and answer.headers["location"] == f"/parent/teacher/threads/{world['homework']}"
    assert "Баасан гарагт 18:00 цагт." in teacher.get(answer.headers["location"]).text
    assert "Баасан гарагт 18:00 цагт." in client_for(world, MOTHER).get(f"/parent/threads/{world['homework']}").text


def test_the_teacher_starts_a_new_conversation_with_a_guardian(world) -> None:
    claim_child(ClaimChild("acc-father-2", claim("УБ14230211")), world["deps"])
    teacher = client_for(world, TEACHER)
    assert 'value="lrn-bat|acc-father-2"' in teacher.get("/parent/teacher/threads/new").text

    answer = post(teacher, "/parent/teacher/threads/new", "/parent/teacher/threads/new", to="lrn-bat|acc-father-2",
                  subject="Эцэг эхийн хурал", text="Баасан гарагт 18:00 цагт.")
    assert answer.status_code == 303
    thread_page = teacher.get(answer.headers["location"]).text
    assert "<h1>Эцэг эхийн хурал</h1>" in thread_page and "Баасан гарагт 18:00 цагт." in thread_page
    father = client_for(world, Principal("acc-father-2", "parent", name="Ганбаатар"))
    assert "Эцэг эхийн хурал" in father.get("/parent/children/lrn-bat/messages").text


@pytest.mark.parametrize("to", ["lrn-bat|acc-stranger", "lrn-sarnai|acc-mother", "lrn-guess|acc-mother", "", "x"])
def test_writing_to_someone_outside_the_class_is_refused_at_the_recipient_field(world, to) -> None:
    other = client_for(world, TEACHER)
    answer = post(other, "/parent/teacher/threads/new", "/parent/teacher/threads/new", to=to, subject="Сэдэв",
                  text="Сайн байна уу")

    assert answer.status_code == 422
    assert 'id="f-to-error"' in answer.text and 'value="Сэдэв"' in answer.text
    with world["deps"].uow() as uow:
        assert all(t.subject != "Сэдэв" for t in uow.threads.for_teacher("acc-teacher"))


def test_a_teacher_lands_on_the_inbox_and_a_thread_link_opens_the_teacher_page(teacher, world) -> None:
    home = teacher.get("/parent/", follow_redirects=False)
    shared = teacher.get(f"/parent/threads/{world['sport']}", follow_redirects=False)

    assert home.status_code == 303 and home.headers["location"] == INBOX
    assert shared.status_code == 303 and shared.headers["location"] == f"/parent/teacher/threads/{world['sport']}"


def test_without_a_session_the_inbox_asks_to_sign_in(world) -> None:
    answer = TestClient(world["app"]).get(INBOX, follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"].startswith("/identity/login")
