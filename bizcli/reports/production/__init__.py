"""Production reports: BOMs, work orders and MRP."""
