"""Stage 4, outputs: charts, display tables, the Excel annex, the HTML report, notebook runs and the explorer."""
