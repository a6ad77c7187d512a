"""The bare baseline of scenario 1: a FastAPI JSON endpoint on uvicorn (one worker), nothing else.

``python -m bench.bare_app --port N`` serves ``GET /hello`` -> ``{"hello": "world"}``, and for scenario 4
``POST /attendance`` (a class's attendance form, validated by pydantic and not stored) -> 201 with the count.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Mark(BaseModel):
    learner_id: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=32)


class Attendance(BaseModel):
    form_id: str = Field(min_length=1, max_length=64)
    day: str
    lesson: int = 0
    subject_code: str = ""
    marks: list[Mark]


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}


@app.post("/attendance", status_code=201)
def attendance(body: Attendance) -> dict[str, int]:
    return {"marks": len(body.marks)}


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
