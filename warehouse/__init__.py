"""DuckDB warehouse of edgar13d: migrations, atomic idempotent loads, crawl state, failure log, views.

Entry point: :class:`warehouse.store.Warehouse` (``Warehouse.open(path)``); SQL views are documented in
``warehouse/README-sql.md``.
"""

from warehouse.batch import tables_from_parsed
from warehouse.identity import holder_key, normalize_name
from warehouse.locks import Sharing
from warehouse.store import (
    LoadResult,
    Warehouse,
    WarehouseBusy,
    WarehouseError,
    WarehouseLocked,
    WarehouseNeedsMigration,
    WarehouseTooNew,
)

__all__ = [
    "LoadResult",
    "Sharing",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "WarehouseLocked",
    "WarehouseNeedsMigration",
    "WarehouseTooNew",
    "holder_key",
    "normalize_name",
    "tables_from_parsed",
]
