"""Demo data: a Norwegian work-training café (``norway``) and a Danish sheltered workshop in
groups (``denmark``), each with its staff, participants and a month of the history both
countries write the same way (``history``). All people are invented."""

from server.demo import denmark, norway

# Every demo login, the Norwegian ones first: the command line prints them all.
DEMO_LOGINS = norway.LOGINS + denmark.LOGINS


def seed() -> bool:
    """Create the demo organisations, each unless it exists already; False (and nothing
    done) when both do."""
    created = [norway.seed(), denmark.seed()]
    return any(created)
