"""The web workbench (`frontwatch serve`): FastAPI app, JSON API, pages and access control."""
