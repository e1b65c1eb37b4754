"""The yardstick: the least a Flask endpoint can do to store one write in the same
PostgreSQL database (one INSERT and a commit, no auth, no validation)."""

import os
import uuid

from flask import Flask, request
from sqlalchemy import create_engine, text

engine = create_engine(
    os.environ["BENCH_DATABASE_URL"], pool_size=5, max_overflow=5, pool_pre_ping=False
)
app = Flask(__name__)


@app.put("/ping/<uuid:ping_id>")
def ping(ping_id: uuid.UUID):
    body = request.get_json()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO bench_pings (id, body) VALUES (:id, CAST(:body AS jsonb))"),
            {"id": ping_id, "body": request.get_data(as_text=True)},
        )
    return {"id": str(ping_id), "status": body.get("status")}, 201
