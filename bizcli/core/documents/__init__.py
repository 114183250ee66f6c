"""Business documents (purchase orders, later sales orders) and the events on them."""
