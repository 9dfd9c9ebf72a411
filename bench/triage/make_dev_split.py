"""Writes the dev split used for every setting: 85 % of train.csv to fit, 15 % to judge."""
import pandas as pd
from sklearn.model_selection import train_test_split
train = pd.read_csv("/work/shared/data/banking77/train.csv")
fit, dev = train_test_split(train, test_size=0.15, stratify=train.category, random_state=7)
fit.to_csv("/tmp/banking77-fit.csv", index=False)
dev.to_csv("/tmp/banking77-dev.csv", index=False)
print(len(fit), len(dev))
