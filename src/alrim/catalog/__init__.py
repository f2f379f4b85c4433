"""Catalog: sources → parse → normalise → regions/periods/rules → upsert + change log."""
