"""What NAV calls things that Spire has its own words for: the reason a programme ended
(the days of a reporting period are in ``shared.meldeperiode``)."""

from shared.vocab import NavEndReason, Outcome

END_REASONS: dict[Outcome, NavEndReason] = {
    Outcome.ORDINARY_WORK: NavEndReason.GOT_JOB,
    Outcome.EDUCATION: NavEndReason.EDUCATION,
    Outcome.DISABILITY_BENEFIT: NavEndReason.SICK,
    Outcome.OTHER_MEASURE: NavEndReason.NEEDS_OTHER_SUPPORT,
    Outcome.DROPPED_OUT: NavEndReason.DID_NOT_ATTEND,
    Outcome.OTHER: NavEndReason.OTHER,
}


def end_reason(outcome: Outcome | str | None) -> NavEndReason | None:
    """NAV's reason for Spire's exit outcome; None while there is none."""
    return None if outcome is None else END_REASONS[Outcome(outcome)]
