"""Eligibility: rules as data, three-valued evaluation, explanations, audiences."""
