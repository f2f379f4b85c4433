"""Pure domain types. No I/O, no clock, no database."""
