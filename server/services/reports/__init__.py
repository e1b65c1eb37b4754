"""Reports: the figures of each export, gathered from what staff logged, scoped to the
caller and logged as exports."""
