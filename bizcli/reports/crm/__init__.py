"""CRM reports: the pipeline, forecasts, the funnel, win rates, customer analytics."""
