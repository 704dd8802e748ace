"""Sample input sheets for a month (`csbatch sample`): every input kind of config/inputs.yaml,
messy the way people type, consistent across sheets, reproducible from a seed."""

from csbatch.samples.generate import default_orders, generate_month

__all__ = ["default_orders", "generate_month"]
