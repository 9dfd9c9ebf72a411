"""Rebuilds Sources/KefuShield/Resources/chinese/common_words.txt.

Chinese recovery phrases may be written as one unbroken run of characters, and the
Chinese wordlists are the 2048 most common characters, so ordinary prose also forms
long runs of wordlist characters. What tells them apart is that prose is made of
words: adjacent characters very often form a common two-character word, while the
characters of a phrase are drawn at random. This file lists the two-character words
of jieba's dictionary (MIT, jieba 0.42.1) whose both characters are in the
simplified Chinese BIP-39 wordlist; traditional text is mapped onto it through the
wordlists, which list the same characters in the same order.

  pip download jieba==0.42.1 --no-deps -d /tmp/jieba && tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
  python3 measure/build_chinese_words.py /tmp/jieba/jieba-0.42.1/jieba/dict.txt
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "Sources", "KefuShield", "Resources")


def main(dictionary):
    with open(os.path.join(RESOURCES, "wordlists", "chinese_simplified.txt"), encoding="utf-8") as f:
        characters = {line.strip() for line in f}
    words = []
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            word = line.split(" ", 1)[0]
            if len(word) == 2 and word[0] in characters and word[1] in characters:
                words.append(word)
    words = sorted(set(words))
    with open(os.path.join(RESOURCES, "chinese", "common_words.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    print(len(words), "words")


if __name__ == "__main__":
    main(sys.argv[1])
