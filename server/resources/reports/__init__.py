"""Reports for NAV and grant givers, as JSON or as files (CSV, XLSX, PDF)."""
