"""Python's cycle collector, run less often in the processes that build many objects in one go.

By default Python looks for reference cycles every 700 new objects and goes through *every* object in memory after
100 such passes. A Django process holds a few hundred thousand objects once set up (Django, Wagtail and their model
classes), and migrations, the demo loader and the test workers create many more: measured on this code base, these
full passes took 35 % of `migrate`'s CPU (9.1 of 26 s) and 7 % of a test worker's. With the thresholds below, cycles
are still collected, a full pass is rare and `migrate` spends 3.5 s there; memory grows by a few percent (a worker's
peak: 275 → 290 MB; `migrate`: 190 → 270 MB). See decision 25.
"""

import gc

# New objects before the youngest generation is examined, then passes of each generation before the next is.
THRESHOLDS = (10_000, 50, 100)


def collect_less_often() -> None:
    gc.set_threshold(*THRESHOLDS)
