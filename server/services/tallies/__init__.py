"""The anonymous activity tally: counts of work with people who are not enrolled, with no name."""
