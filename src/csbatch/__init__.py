"""csbatch: a customer-service department's month-end close, from policy kept in YAML."""

__version__ = "0.1.0"
