"""Stage 1, the contract: schemas, loaders of ``data/raw/contract/``, reconciliation of its totals."""
