"""Double-entry bookkeeping: accounts, transactions, balancing, balances."""
