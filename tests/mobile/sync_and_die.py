"""Syncs the phone's outbox in the folder DATA and is killed (SIGKILL, as the phone's
system kills an app) right after the server has answered, before the outbox has taken
the answer in: the window in which a write could be lost or sent twice.

    python tests/mobile/sync_and_die.py DATA
"""

import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mobile.core.spire import Spire  # noqa: E402
from mobile.core.syncer import Syncer  # noqa: E402


class KilledOnTheAnswer(Syncer):
    def _acknowledge(self, user_id, batch, results, report):
        sys.stdout.write(" ".join(f"{r['op_id']}:{r['status']}" for r in results) + "\n")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    spire = Spire(sys.argv[1])
    spire.syncer = KilledOnTheAnswer(
        spire.client, spire.outbox, spire.cache, spire.db, spire.store, spire.clock
    )
    spire.syncer.sync()


if __name__ == "__main__":
    main()
