"""Stock: items, warehouses, stock moves and their valuation (FIFO, moving average)."""
