"""The shared mechanisms every stage configures from policy: band lookups, expressions, deadlines."""
