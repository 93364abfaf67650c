"""The domain: reports and their rules, progress, scoring, the catalogue, people, conversation state, transfer.

Functions here receive a session and never commit, never send, and know no Flask and no LINE.
"""
