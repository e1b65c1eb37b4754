"""Documents made from the records: PDFs and files for the people outside Spire."""
