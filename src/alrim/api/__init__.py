"""The open API (FastAPI routers, one per resource) and the app factory."""
