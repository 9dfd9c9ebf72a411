"""The `kefu triage` command-line contract, on a slice of PolyAI BANKING77 (CC-BY-4.0).

The full data set is measured by `bench/triage` in a release build; here a debug build
learns twelve intents, which is enough to show the contract holds and the model learns.
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import pytest

from kefu_server import REPO, default_binary

DATA = REPO.parent / "shared" / "data" / "banking77"
pytestmark = pytest.mark.skipif(not (DATA / "train.csv").is_file(), reason="BANKING77 is not beside the repository")


def slice_of(source: Path, target: Path, categories: set[str], per_category: int) -> None:
    counts: dict[str, int] = {}
    with source.open(newline="", encoding="utf-8") as reader, target.open("w", newline="", encoding="utf-8") as writer:
        out = csv.writer(writer)
        out.writerow(["text", "category"])
        for row in csv.DictReader(reader):
            if row["category"] in categories and counts.get(row["category"], 0) < per_category:
                counts[row["category"]] = counts.get(row["category"], 0) + 1
                out.writerow([row["text"], row["category"]])


def kefu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(default_binary()), "triage", *args], input=stdin, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    folder = tmp_path_factory.mktemp("triage")
    with (DATA / "train.csv").open(newline="", encoding="utf-8") as reader:
        categories = sorted({row["category"] for row in csv.DictReader(reader)})[:12]
    train, test = folder / "train.csv", folder / "test.csv"
    slice_of(DATA / "train.csv", train, set(categories), 60)
    slice_of(DATA / "test.csv", test, set(categories), 40)
    output = folder / "model.bin"
    trained = kefu("train", "--csv", str(train), "--model", str(output))
    assert trained.returncode == 0, trained.stderr
    return output, test, categories


def test_eval_prints_accuracy_last_and_the_model_learned(model: tuple[Path, Path, list[str]]) -> None:
    output, test, _ = model
    result = kefu("eval", "--model", str(output), "--csv", str(test))
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"accuracy: 0\.\d{4}|accuracy: 1\.0000", last), last
    # Twelve intents: guessing scores about 0.08.
    assert float(last.split()[1]) > 0.75


def test_predict_writes_one_json_object_per_input_line(model: tuple[Path, Path, list[str]]) -> None:
    output, _, categories = model
    lines = ["I still have not received my new card", "zxqv blorp frumious", "你好"]
    result = kefu("predict", "--model", str(output), stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(lines)
    for answer in answers:
        assert set(answer) == {"label", "confidence", "abstain"}
        assert answer["label"] in categories
        assert 0.0 <= answer["confidence"] <= 1.0
    assert answers[1]["abstain"] is True


def test_unreadable_input_is_a_clear_error(tmp_path: Path) -> None:
    missing = kefu("eval", "--model", str(tmp_path / "nope.bin"), "--csv", str(tmp_path / "nope.csv"))
    assert missing.returncode != 0
    assert "cannot read" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text('text,category\n"unterminated,card_arrival\n', encoding="utf-8")
    broken = kefu("train", "--csv", str(bad), "--model", str(tmp_path / "m.bin"))
    assert broken.returncode != 0
    assert "line" in broken.stderr
