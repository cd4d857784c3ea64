"""Pure extractors: raw EDGAR filing bytes in, Arrow tables out. No network, no database.

Bump PARSER_VERSION whenever a change alters what is extracted, so the warehouse knows which stored
filings a ``reparse`` should refresh.
"""

PARSER_VERSION = "0.3.0"
