"""Production: bills of materials, work orders, MRP and the demand forecast.

Pure functions over values, like the rest of ``core``: no files, no clock.
"""
