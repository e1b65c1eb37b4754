"""The anonymous activity tally and the organisation's list of activities."""
