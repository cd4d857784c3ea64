"""Alerts: after each nightly run, one message about the new filings and threshold crossings it stored.

``message`` builds the message from plain rows (pure), ``outbox`` keeps what is still to announce in the
warehouse (``alert_outbox``, migration 003), ``send`` delivers through apprise at the edge, and
``deliver`` ties the three together for the nightly flow and ``edgar13d alerts``.
"""
