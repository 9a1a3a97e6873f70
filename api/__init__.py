"""The HTTP API (FastAPI) over :mod:`powermap.service`; built in a later issue."""
