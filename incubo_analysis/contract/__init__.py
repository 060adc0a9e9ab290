"""Stage 1, the contract: the schemas, the loaders of ``data/raw/contract/`` and the reconciliation of its printed totals."""
