"""The CRM: leads, deals and their stage history, activities, tickets, customer analytics."""
