"""Source adapters. Each yields `RawRecord`s (or `Rejected` rows) behind one interface."""
