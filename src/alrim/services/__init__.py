"""Use cases shared by the CLI, the API and the web pages (no HTTP types here)."""
