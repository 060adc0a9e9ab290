"""Stage 3, monitoring: the officer's workbook (template, reader), plan against actual, report tables."""
