"""Stage 3, monitoring: the officer's workbook (template, reader), plan against actual, the report's inputs and tables."""
