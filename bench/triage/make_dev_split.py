"""Writes the dev split every setting was chosen on: 85 % of train.csv to fit, 15 % to judge.

Needs pandas and scikit-learn. BANKING77 (PolyAI, CC-BY-4.0) sits in shared/data beside
this repository.
"""
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77" / "train.csv"
train = pd.read_csv(DATA)
fit, dev = train_test_split(train, test_size=0.15, stratify=train.category, random_state=7)
fit.to_csv("/tmp/banking77-fit.csv", index=False)
dev.to_csv("/tmp/banking77-dev.csv", index=False)
print(len(fit), len(dev))
