"""What happened: members, skaters, seasons, competitions, races and their results.

Results are revisions, never overwritten: a correction is a new ``RaceResult`` or
``Ranking`` row with who, when and why. Standings are not stored; ``shorttrack.queries``
derives them from the rankings that were official at a moment.
"""
