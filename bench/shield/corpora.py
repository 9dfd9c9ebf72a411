"""Negative corpora for false-positive measurement: ordinary text that holds no secret.

English: every banking77 customer message. Chinese: Debian's own Chinese prose
(Debian Reference in zh-cn and zh-tw, the Debian FAQ, translated program messages,
Chinese fortunes) plus the hand-written support chat in chinese_chat.txt.
Install the Debian sources with:
  apt-get install debian-reference-zh-cn debian-reference-zh-tw debian-faq-zh-cn fortunes-zh
"""
import csv
import gettext
import glob
import gzip
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
BANKING77 = os.environ.get("KEFU_BANKING77", os.path.join(HERE, "../../../shared/data/banking77"))
HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_CHARS = 400


def english_chat():
    texts = []
    for name in ("train.csv", "test.csv"):
        path = os.path.join(BANKING77, name)
        with open(path, newline="", encoding="utf-8") as f:
            texts.extend(row["text"] for row in csv.DictReader(f))
    return texts


def english_prose():
    """(source, text): English program messages (the msgids of installed .mo catalogs)
    and the licence texts Debian ships, as long-form English beyond chat."""
    out, seen = [], set()
    for path in sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo")):
        try:
            with open(path, "rb") as f:
                catalog = gettext.GNUTranslations(f)._catalog
        except Exception:
            continue
        for key in catalog:
            key = key[0] if isinstance(key, tuple) else key
            if isinstance(key, str) and len(key) >= 20 and key not in seen:
                seen.add(key)
                out.append(("messages:en", key))
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except (IsADirectoryError, OSError):
            continue
        out.extend(("licenses:en", p) for p in re.split(r"\n\s*\n", text) if len(p) > 40)
    return out


def _chunks(paragraph):
    while len(paragraph) > MAX_CHARS:
        cut = max(paragraph.rfind("。", 0, MAX_CHARS), paragraph.rfind("\n", 0, MAX_CHARS))
        cut = cut + 1 if cut > 0 else MAX_CHARS
        yield paragraph[:cut]
        paragraph = paragraph[cut:]
    if paragraph:
        yield paragraph


def _paragraphs(text):
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if len(HAN.findall(block)) >= 5:
            yield from _chunks(block)


def _read_gz(path):
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read()


def chinese_prose():
    """(source, text) pairs."""
    out = []
    sources = [
        "/usr/share/debian-reference/debian-reference.zh-cn.txt.gz",
        "/usr/share/debian-reference/debian-reference.zh-tw.txt.gz",
        "/usr/share/doc/debian/FAQ/debian-faq.zh-cn.txt.gz",
    ]
    for path in sources:
        if os.path.exists(path):
            out.extend((os.path.basename(path), p) for p in _paragraphs(_read_gz(path)))
    for path in sorted(glob.glob("/usr/share/locale/zh_*/LC_MESSAGES/*.mo")):
        try:
            with open(path, "rb") as f:
                catalog = gettext.GNUTranslations(f)._catalog
        except Exception:
            continue
        for value in catalog.values():
            values = value if isinstance(value, (list, tuple)) else [value]
            for v in values:
                if isinstance(v, str) and len(HAN.findall(v)) >= 5:
                    out.extend(("mo", c) for c in _chunks(v))
    for path in ("/usr/share/games/fortunes/chinese", "/usr/share/games/fortunes/song100"):
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                for cookie in f.read().split("\n%\n"):
                    if len(HAN.findall(cookie)) >= 5:
                        out.extend(("fortune", c) for c in _chunks(cookie.strip()))
    chat = os.path.join(HERE, "chinese_chat.txt")
    if os.path.exists(chat):
        with open(chat, encoding="utf-8") as f:
            out.extend(("chat", line.strip()) for line in f if line.strip())
    return out


if __name__ == "__main__":
    en = english_chat()
    zh = chinese_prose()
    from collections import Counter
    print(len(en), "english;", len(zh), "chinese", Counter(s for s, _ in zh))
    print(sum(len(t) for _, t in zh), "chinese chars")
