"""The ISU rules as pure functions over plain data: no Django, no I/O beyond reading
the season rule files that ship inside this package.

Read it like the rule book: `distances` (what is raced), `times` (how a time is written),
`records` (world records), `season` (one season's rule set, loaded from `seasons/*.toml`),
`ranking` (the final ranking of a distance at a competition from its races), `standings`
(the World Cup classifications at any moment), `progression` (the rounds for N entries),
`advancement` (who qualifies from a round), `draw` (seeding and start positions),
`race_lifecycle` (a race's status machine); for the press, `facts` (what a race made
true, with its proof), `bests` (records beaten), `leaders` (standings effects), `globe` (the
race for the Crystal Globe), `findings` (all facts of a session) and `summary` (the text).
"""
