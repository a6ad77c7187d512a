"""parent: parent.demo claims the demo child through the portal's claim API, as a guardian would.

The portal asks education over gRPC whether the register number, the guardian's name and phone match; a match
links the child and publishes ChildLinked, from which identity adds the child to the account's scope. The step
waits for that, so the child is there at the parent's first sign-in. The demo parent's quiet hours are switched
off, so an absence marked at any hour reaches the development provider's file at once.
"""

from __future__ import annotations

from demo.api import login, wait_for_scope
from demo.identity import Demo
from demo.people import demo_child

PARENT = "/api/parent/v1"


def load(demo: Demo) -> None:
    parent = login(demo.client, "parent.demo")
    linked = {c["child"]["learner_id"] for c in parent.get(f"{PARENT}/children")}
    if demo.child_id not in linked:  # else a re-run: already claimed
        child = demo_child()
        claimed = parent.post(f"{PARENT}/children/claims", {
            "learner_register_number": child.register_number, "guardian_given_name": child.guardian.given_name,
            "guardian_phone": child.phone}).json()
        if claimed["child"]["learner_id"] != demo.child_id:
            raise SystemExit(f"demo data: the claim linked {claimed['child']['learner_id']}, not {demo.child_id}")
    parent.call("PUT", f"{PARENT}/preferences", json={"channels": ["sms", "email"], "quiet_start": None,
                                                      "quiet_end": None})
    wait_for_scope(demo.client, "parent.demo", "chd", {demo.child_id}, "the claimed child")
