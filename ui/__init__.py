"""Streamlit glue: cached resources, the login gate, small widgets. Never imported by ``sim``."""
