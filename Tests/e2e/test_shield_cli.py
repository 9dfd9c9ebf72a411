"""`kefu shield scan` against recovery phrases generated afresh by PyPI `mnemonic` (the
BIP-39 reference implementation) in every official wordlist, in the layouts customers
really paste: one line, numbered lists, commas, new lines, upper case."""
from __future__ import annotations

import json
import random
import subprocess

import pytest
from mnemonic import Mnemonic

from kefu_server import default_binary

LISTS = ["english", "chinese_simplified", "chinese_traditional", "japanese", "korean",
         "spanish", "french", "italian", "czech", "portuguese"]
PLACEHOLDER = "[已隐藏：助记词 / hidden: recovery phrase]"


def layouts(words: list[str], separator: str) -> list[str]:
    return [
        separator.join(words),
        "\n".join(f"{index}. {word}" for index, word in enumerate(words, 1)),
        ", ".join(words),
        "\n".join(words),
        separator.join(word.upper() for word in words),
    ]


def scan(texts: list[str]) -> list[dict]:
    lines = "".join(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in texts)
    result = subprocess.run([str(default_binary()), "shield", "scan"], input=lines, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(texts)
    return answers


@pytest.mark.parametrize("language", LISTS)
def test_generated_phrases_are_redacted_in_every_layout(language: str) -> None:
    generator = Mnemonic(language)
    rng = random.Random(language)
    separator = "\u3000" if language == "japanese" else " "
    texts, secrets = [], []
    for strength in (128, 160, 192, 224, 256):
        phrase = generator.generate(strength)
        words = phrase.split(separator) if separator in phrase else phrase.split()
        for layout in layouts(words, separator):
            prefix = rng.choice(["my words are: ", "助记词：", "", "help! "])
            texts.append(prefix + layout + " thanks")
            secrets.append(words)
    for answer, words in zip(scan(texts), secrets):
        kinds = [finding["kind"] for finding in answer["findings"]]
        assert "mnemonic" in kinds, answer
        assert PLACEHOLDER in answer["text"]
        # No run of four phrase words survives redaction.
        for start in range(len(words) - 3):
            assert " ".join(words[start:start + 4]) not in answer["text"]
        for finding in answer["findings"]:
            if finding["kind"] == "mnemonic":
                assert finding["value"] is None


def test_ordinary_support_messages_pass_untouched() -> None:
    texts = [
        "I want to buy some coin but the app is slow today, can you help me with the exchange?",
        "我的USDT提币一直显示处理中，已经两个小时了，请问是什么原因？",
        "Sent 0.5 ETH to 0x52908400098527886E0F7030069857D2E4169EE7 yesterday, still not there",
    ]
    for text, answer in zip(texts, scan(texts)):
        assert answer["text"] == text
        assert all(finding["kind"] not in ("mnemonic", "private_key") for finding in answer["findings"])
