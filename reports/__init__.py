"""Presentation: a stake's chart (``edgar13d chart``) and its one-page report (``edgar13d report``).

``stake`` reads one CUSIP through the warehouse's views into plain values, ``chart`` draws them with
matplotlib, ``page`` writes the self-contained HTML page. Nothing here writes to the warehouse.
"""
