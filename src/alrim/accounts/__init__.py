"""Citizen and staff accounts: sign-up, login, sessions, password reset, saved profiles."""
