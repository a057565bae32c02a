"""Session summaries in the house style of ISU news, written from facts and nothing else.

    Park Ji Won (KOR) won the men's 1500m in Seoul ahead of Jens van 't Wout (NED) and
    Steven Dubois (CAN). Park also won the men's 1000m, his second World Cup win of the
    season, ahead of van 't Wout and Pietro Sighel (ITA). He leads the men's overall
    standings with 200 points, 40 ahead of the Dutch skater.

A summary is: one sentence per final (the podium, with the winner's most telling count as
an aside; winners of a dead heat each with their own, by name), the standings consequences
(new leaders and how long the lead they ended had lasted, who leads the Crystal Globe and by
how much, a Globe clinched), then the three to six most notable remaining facts, rarest
first. Every sentence lists the facts it was written from; a sentence is only written when
its facts exist.

House style, as ISU news writes a race report:

- a skater is named at most twice: in full with the nation's code on first mention ("Park
  Ji Won (KOR)"), then by the family name ("Park"; in full again, without the code, where
  another skater named shares it); after that "he"/"she" when the skater was the subject of
  the sentence before, else "the Korean" (``nations_in_text.toml``) when no other skater
  of the nation was named, else by a podium of the session ("the winner of the men's
  1000m"); each such description once, a further mention another one;
- same-kind facts of several skaters in one sentence ("Jung, Côté and Roy won their first
  World Tour medals."); two who draw level at the top one fact, said once;
- names as the season prints them (``rules.press_names``: "Ji-won" is "Ji Won" where the
  season's ``[names] korean_given`` says so; the loader applies it), nations as ISU news
  names them in running text ("Korea", "the Netherlands", never "the Republic of Korea");
- podium sentences vary: "won", "took", "In the women's 500m, ... beat ..."; a skater's
  second win of the session "also won";
- races are "the men's 1000m (2)"; numbers of wins are words up to tenth ("his third World
  Cup win"); times as 1:23.456; no adjectives the data cannot back ("stunning",
  "dominant").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shorttrack.rules.facts import Fact, History, RaceOnRecord
from shorttrack.rules.press_names import holder_in_text, nation_in_text, skater_of, surname
from shorttrack.rules.ranking import RoundKind
from shorttrack.rules.times import format_time

HEADLINE_KINDS = {"podium", "lead", "standing"}
NOTABLE_THRESHOLD = 2.0  # rarity from which a fact is notable in its own right
FILLER_THRESHOLD = 0.5  # below this a fact is too common to top a summary up with
# A fact that says more makes these facts about the same subject and race needless.
IMPLIES = {
    "first_win": {"first_medal", "first_final_a", "season_wins"},
    "first_medal": {"first_final_a"},
    "first_win_since": {"first_medal_since"},
    "nation_first_win": {"nation_first_medal"},
    "nation_sweep": {"nation_first_medal", "nation_first_win"},
    "youngest_winner": {"age"},
    "oldest_winner": {"age"},
    "world_record": {"track_record", "season_best", "personal_best"},
    "track_record": {"season_best", "personal_best"},
    "season_best": {"personal_best"},
    "new_leader": {"lead"},
    "clinched": {"lead", "new_leader"},
}
WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}
# How a podium place describes a skater named twice already ("the winner of the men's 1000m").
PLACE_ROLES = {1: "the winner of", 2: "the runner-up in", 3: "the bronze medallist in"}
MOST_NAMINGS = 2  # full name, then the family name; then no name
# Facts whose sentence is "<skater> <what they did>." naming nobody else: two of them about
# one skater are said in one sentence.
JOINABLE = {
    "margin",
    "season_wins",
    "season_distance_wins",
    "first_medal",
    "career_medals",
    "first_win",
    "career_wins",
    "first_final_a",
    "first_medal_since",
    "first_win_since",
    "win_streak",
    "medal_streak",
    "age",
    "track_record",
    "season_best",
    "personal_best",
    "final_penalty",
    "final_card",
    "final_dnf",
    "final_dns",
}
# Facts said of several skaters in one sentence when the session has several of a kind:
# "Jung, Côté and Roy won their first World Tour medals.", not one sentence each.
GROUPED = {"first_medal", "first_win", "first_final_a"}
HOLDER = "\x00"  # stands for the skater while a fact's words are joined to another's


def capital(text: str) -> str:
    """A sentence starts with a capital: 'the Netherlands won' -> 'The Netherlands won'."""
    return text[:1].upper() + text[1:]


def count_word(n: int) -> str:
    """3 -> 'third', 12 -> '12th'."""
    if 1 <= n <= len(WORDS):
        return WORDS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def duration_words(seconds: int) -> str:
    """2820 -> '47 minutes'; 5400 -> '1 hour and 30 minutes'; 950400 -> '11 days'."""
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        text = f"{hours} hour{'s' if hours != 1 else ''}"
        return text + (f" and {minutes} minute{'s' if minutes != 1 else ''}" if minutes else "")
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''}"


def seconds_text(ms: int) -> str:
    """12 -> '0.012', 1250 -> '1.250'."""
    return f"{ms // 1000}.{ms % 1000:03d}"


def notable(
    facts: Iterable[Fact], used: Iterable[str] = (), limit: int = 6, minimum: int = 3
) -> list[Fact]:
    """The most notable facts, rarest first: every fact from ``NOTABLE_THRESHOLD`` up to
    ``limit``, topped up to ``minimum`` with the next rarest from ``FILLER_THRESHOLD``.
    Headline facts (podiums,
    leads, standings), facts already written (``used``), facts another says more than and a
    second fact of one kind about one subject (the rarer stays) are left out."""
    facts = list(facts)
    taken = set(used)
    present = {(f.kind, f.subject, f.race) for f in facts}
    candidates = [
        f
        for f in facts
        if f.kind not in HEADLINE_KINDS
        and f.key not in taken
        and not any(
            (stronger, f.subject, f.race) in present
            for stronger, weaker in IMPLIES.items()
            if f.kind in weaker
        )
    ]
    candidates.sort(key=lambda f: (-f.rarity, f.at, f.key))
    # One fact of a kind per subject: "the oldest winner" twice in a session says it twice.
    kept: dict[tuple[str, str], Fact] = {}
    for f in candidates:
        kept.setdefault((f.kind, f.subject), f)
    candidates = list(kept.values())
    chosen = [f for f in candidates if f.rarity >= NOTABLE_THRESHOLD][:limit]
    if len(chosen) < minimum:
        filler = [f for f in candidates if FILLER_THRESHOLD <= f.rarity < NOTABLE_THRESHOLD]
        chosen += filler[: minimum - len(chosen)]
    return chosen


@dataclass(frozen=True)
class Sentence:
    text: str
    facts: tuple[str, ...]  # keys of the facts it was written from


# Facts that count over careers or compare with times held: true of the results held.
CAREER_KINDS = {
    "first_medal",
    "career_medals",
    "first_win",
    "career_wins",
    "first_final_a",
    "first_medal_since",
    "first_win_since",
    "win_streak",
    "medal_streak",
    "world_record",
    "track_record",
    "personal_best",
}


@dataclass(frozen=True)
class Summary:
    sentences: tuple[Sentence, ...]
    notable: tuple[Fact, ...]
    footnote: str | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


class Writer:
    """Writes facts as sentences, naming each skater at most twice (see the module's house
    style); one writer per text, its sentences written in the order they are read."""

    def __init__(self, history: History):
        self.history = history
        self.namings: dict[str, int] = {}  # skater -> times named so far
        # skater -> the podium places said that were theirs alone, in the order said
        self.podiums: dict[str, list[tuple[int, RaceOnRecord]]] = {}
        self.winners: set[str] = set()  # skaters whose win a podium sentence said
        # skater -> the descriptions a sentence said them by unnamed, in the order said
        self.described: dict[str, list[str]] = {}
        self.previous: str | None = None  # the subject of the sentence before
        self.current: str | None = None  # the subject of the sentence being written

    def begin(self) -> None:
        """A new sentence follows (who writes a text of several calls this before each):
        the one just written is 'the sentence before'."""
        self.previous, self.current = self.current, None

    # names ------------------------------------------------------------------------------

    def name(self, entrant: str) -> str:
        """A skater, a relay team ('t4', 'nKOR') or a nation (its code), wherever it stands
        in the sentence."""
        if entrant[:1].isupper():
            return self.nation(entrant)
        if not entrant.startswith("s"):  # a relay team, named by its nation
            return self.history.person(entrant).press_name
        return self._skater(entrant)

    def subject(self, entrant: str) -> str:
        """The one the sentence is about: 'he' or 'she' for a skater named twice already who
        was the subject of the sentence before, else as ``name``."""
        self.current = entrant
        if (
            entrant.startswith("s")
            and self.namings.get(entrant, 0) >= MOST_NAMINGS
            and self.previous == entrant
        ):
            return self._pronoun(entrant)
        return self.name(entrant)

    def possessive(self, entrant: str) -> str:
        """ "Park's", "van 't Wout's"; a skater named twice already: 'his'/'her' when the
        subject of the sentence before, else "the Korean's" (a podium place is no owner:
        "the winner of the men's 1000m's" does not read)."""
        if not entrant.startswith("s") or self.namings.get(entrant, 0) < MOST_NAMINGS:
            return f"{self.name(entrant)}'s"
        if self.previous == entrant:
            return self.his(entrant)
        return f"{self._epithet(entrant)}'s"

    def _skater(self, entrant: str, within: RaceOnRecord | None = None) -> str:
        person = self.history.person(entrant)
        said = self.namings.get(entrant, 0)
        if said >= MOST_NAMINGS:
            return self._described(entrant, within)
        self.namings[entrant] = said + 1
        if said == 0:
            return f"{person.press_name} ({person.nation})" if person.nation else person.press_name
        family = surname(person.family) if person.family else ""
        shared = any(
            other != entrant and surname(self.history.person(other).family) == family
            for other in self.namings
        )
        return family if family and not shared else person.press_name

    def _described(self, entrant: str, within: RaceOnRecord | None = None) -> str:
        """A skater named twice, without a name: 'the Korean' when no other Korean was
        named, or by a podium place of theirs said ('the winner of the men's 1000m'), best
        first. Each description is said once: a third mention is a periphrasis, a fourth
        another one ("the bronze medallist in the women's 1500m" twice reads as a list).
        Only when none is left does the last one come again. ``within``: a race the sentence
        speaks of ("in the heats" of it), whose podium describes best there; a podium of
        another race comes last ("the winner of the women's 500m" of a 1500m heat)."""
        nation = self.history.person(entrant).nation
        alone = not any(
            other != entrant and self.history.person(other).nation == nation
            for other in self.namings
        )
        places = sorted(self.podiums.get(entrant, []), key=lambda p: p[0])
        here = [p for p in places if within is not None and p[1].id == within.id]
        roles = [f"{PLACE_ROLES[rank]} {self.race(race)}" for rank, race in here + places]
        epithet = self._epithet(entrant)
        choices = [*roles[: len(here)], *([epithet] if alone else []), *roles, epithet]
        said = self.described.setdefault(entrant, [])
        fresh = [c for c in choices if c not in said]
        choice = fresh[0] if fresh else said[-1]
        said.append(choice)
        return choice

    def _epithet(self, entrant: str) -> str:
        """ "the Korean", "the Dutch skater"; "the skater from Luxembourg" where the table
        has no word for one."""
        nation = self.history.person(entrant).nation
        word = skater_of(nation)
        return f"the {word}" if word else f"the skater from {self.nation(nation)}"

    def _pronoun(self, entrant: str) -> str:
        return {"men": "he", "women": "she"}.get(self.history.person(entrant).gender or "", "it")

    def names(self, entrants: Sequence[str]) -> str:
        named = [self.name(e) for e in entrants]
        return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]

    def nation(self, code: str) -> str:
        """'Canada', 'the Netherlands', 'Korea' as ISU news writes them in a sentence
        (capitalised by ``capital`` at the start); a nation not in ``nations_in_text.toml``
        by its ISU Member name."""
        return nation_in_text(code, self.history.person(f"n{code}").press_name)

    def his(self, entrant: str) -> str:
        gender = self.history.person(entrant).gender
        return {"men": "his", "women": "her"}.get(gender or "", "its")

    def race(self, race: RaceOnRecord) -> str:
        """ "the men's 1000m (2)"."""
        d = race.rules_distance
        label = d.label if not race.instance else f"{d.label} ({race.instance})"
        return "the " + label[0].lower() + label[1:]

    def series(self, race: RaceOnRecord) -> str:
        return self.history.rules[race.season].series

    def classification(self, race: RaceOnRecord, key: str) -> str:
        spec = self.history.rules[race.season].classification(key)
        if spec.kind == "overall":
            return f"the {spec.gender.value}'s overall standings"
        if spec.kind == "nations":
            return "the nations standings"
        label = spec.title
        return f"the {label[0].lower() + label[1:]} standings"

    def title(self, race: RaceOnRecord, key: str) -> str:
        spec = self.history.rules[race.season].classification(key)
        if spec.kind == "overall":
            return f"the {spec.gender.value}'s Crystal Globe"
        label = spec.title
        return f"the {label[0].lower() + label[1:]} {self.series(race)} title"

    # sentences --------------------------------------------------------------------------

    def podium(
        self, race: RaceOnRecord, fact: Fact, asides: Sequence[Fact], where: bool, nth: int = 0
    ) -> str:
        """The podium sentence, with the winners' counts (``asides``) said of each: winners
        of a dead heat have counts of their own, so each count names its skater. The
        ``nth`` podium of a text is worded in turn "won", "took", "In ..., X beat"; a
        skater's second win of the text "also won"."""
        places = fact.values["places"]
        winners = [p["entrant"] for p in places if p["rank"] == 1]
        others = [p["entrant"] for p in places if p["rank"] != 1]
        city = f" in {race.city}" if where else ""
        asides = [a for a in asides if a.subject in winners]
        if len(winners) > 1:
            text = f"{self.names(winners)} shared first place in {self.race(race)}{city}"
            if asides:
                text += ", " + self.shared_asides(race, asides)
            text += f", ahead of {self.names(others)}" if asides and others else ""
            text += f" ahead of {self.names(others)}" if others and not asides else ""
            self._said(race, places)
            return text + "."
        winner = winners[0]
        again = winner in self.winners
        who = self.subject(winner)
        aside = self.aside(race, asides[0]) if asides else ""
        if nth % 3 == 2 and not again and others:
            text = f"In {self.race(race)}{city}, {who} beat {self.names(others)}"
            text += f" for {aside}" if aside else ""
        else:
            verb = "also won" if again else ("took" if nth % 3 == 1 else "won")
            text = f"{who} {verb} {self.race(race)}{city}"
            text += f", {aside}," if aside and others else (f", {aside}" if aside else "")
            text += f" ahead of {self.names(others)}" if others else ""
        self._said(race, places)
        return text + "."

    def _said(self, race: RaceOnRecord, places) -> None:
        ranks = [p["rank"] for p in places]
        for p in places:
            # A shared place describes nobody.
            if ranks.count(p["rank"]) == 1:
                self.podiums.setdefault(p["entrant"], []).append((p["rank"], race))
            if p["rank"] == 1:
                self.winners.add(p["entrant"])

    def aside(self, race: RaceOnRecord, fact: Fact) -> str:
        """'his third World Cup win of the season'."""
        count, what = self._count(race, fact)
        return f"{self.his(fact.subject)} {count} {what}"

    def shared_asides(self, race: RaceOnRecord, facts: Sequence[Fact]) -> str:
        """Each winner of a dead heat with a count of their own: "van 't Wout's third and
        Park's second World Cup win of the season"."""
        owned = [(self.possessive(f.subject), *self._count(race, f)) for f in facts]
        if len({what for _, _, what in owned}) == 1:
            each = " and ".join(f"{owner} {count}" for owner, count, _ in owned)
            return f"{each} {owned[0][2]}"
        return " and ".join(f"{owner} {count} {what}" for owner, count, what in owned)

    def _count(self, race: RaceOnRecord, fact: Fact) -> tuple[str, str]:
        """('third', 'World Cup win of the season') for an aside fact."""
        series = self.series(race)
        if fact.kind == "first_win":
            return "first", f"{series} win"
        if fact.kind == "career_wins":
            return count_word(fact.values["n"]), f"{series} win"
        return count_word(fact.values["n"]), f"{series} win of the season"

    def lead_change(
        self,
        race: RaceOnRecord,
        news: Sequence[Fact],
        ended: Sequence[Fact],
        lead: Fact | None = None,
    ) -> str:
        """New leaders of one classification after one race and the leads they ended, in
        one sentence: two who drew level are one fact said once ("Park and van 't Wout now
        share the lead in the men's 1500m standings; Desmet had held it for 7 days"),
        not each drawing level with the other; with their ``lead`` after the race, its
        points too (the lead is then not said again)."""
        if len(news) > 1:
            return self._leads_shared(race, news, ended, lead)
        (new,) = news
        v = new.values
        where = self.classification(race, v["classification"])
        who = self.subject(new.subject)
        if v["shared_with"]:
            text = f"{who} drew level at the top of {where}"
            text += f" with {self.names(v['shared_with'])}"
        elif ended:
            text = f"{who} took the lead in {where}"
            text += f" from {self.names([f.subject for f in ended])}"
        else:
            text = f"{who} took the lead in {where}"
        if ended and len(ended) == 1 and not v["shared_with"]:
            text += f", whose lead had lasted {duration_words(ended[0].values['seconds'])}"
        elif ended and not v["shared_with"]:
            text += f"; their lead had lasted {duration_words(ended[0].values['seconds'])}"
        return text + "."

    def _leads_shared(
        self, race: RaceOnRecord, news: Sequence[Fact], ended: Sequence[Fact], lead: Fact | None
    ) -> str:
        where = self.classification(race, news[0].values["classification"])
        newcomers = [f.subject for f in news]
        level_with = [e for e in news[0].values["shared_with"] if e not in newcomers]
        if level_with:
            return (
                f"{self.names(newcomers)} drew level at the top of {where} with "
                f"{self.names(level_with)}."
            )
        text = f"{self.names(newcomers)} now share the lead in {where}"
        losers = [f.subject for f in ended]
        if lead is not None:
            v = lead.values
            text += f" with {v['points']} points"
            if v["gap"] is not None and v["second"]:
                text += f", {v['gap']} ahead of {self.names(v['second'])}"
                if ended and sorted(v["second"]) == sorted(losers):
                    held = "who had shared it" if len(ended) > 1 else "who had held it"
                    when = duration_words(ended[0].values["seconds"])
                    return f"{text}, {held} for {when}."
        if ended:
            held = "shared it" if len(ended) > 1 else "held it"
            text = (
                f"{text}; {self.names([f.subject for f in ended])} had {held} for "
                f"{duration_words(ended[0].values['seconds'])}"
            )
        return text + "."

    def describe(self, fact: Fact) -> str:
        """One sentence for one fact."""
        return capital(self._describe(fact))

    def together(self, first: Fact, second: Fact) -> str:
        """Two facts about one skater in one sentence, the verb said once: "Park won his
        third 1000m of the season and his second 1000m race in a row." Both of
        ``JOINABLE`` kinds."""
        who = self.subject(first.subject)
        said, added = (
            self._describe(f, said_as=HOLDER)[len(HOLDER) + 1 : -1] for f in (first, second)
        )
        verb = said.split(" ", 1)[0]
        if added.startswith(verb + " "):
            added = added[len(verb) + 1 :]
        return capital(f"{who} {said} and {added}.")

    def _describe(self, fact: Fact, said_as: str | None = None) -> str:
        race = self.history.race(fact.race)
        v = fact.values
        kind = fact.kind
        if kind == "podium":
            return self.podium(race, fact, (), where=False)
        if kind == "new_leader":
            return self.lead_change(race, [fact], ())
        if kind == "lead":
            return self._lead(race, fact)
        if kind == "lead_ended":
            where = self.classification(race, v["classification"])
            lead = "share of the lead" if v.get("shared") else "lead"
            who, his = self.subject(fact.subject), self.his(fact.subject)
            return f"{who} lost {his} {lead} in {where} after {duration_words(v['seconds'])}."
        name = self.subject(fact.subject) if said_as is None else said_as
        his, series, the_race = self.his(fact.subject), self.series(race), self.race(race)
        if kind == "margin":
            return f"{name} won {the_race} by {seconds_text(v['margin_ms'])} seconds."
        if kind in ("final_penalty", "final_card", "final_dnf", "final_dns"):
            return self._incident(name, v, the_race)
        if kind == "season_wins":
            return f"{name} won {his} {count_word(v['n'])} individual {series} race of the season."
        if kind == "season_distance_wins":
            distance = race.rules_distance.short_label
            return f"{name} won {his} {count_word(v['n'])} {distance} of the season."
        if kind == "first_medal":
            return f"{name} won {his} first {series} medal."
        if kind == "career_medals":
            return f"{name} won {his} {count_word(v['n'])} {series} medal."
        if kind == "first_win":
            return f"{name} won a {series} race for the first time."
        if kind == "career_wins":
            return f"{name} won {his} {count_word(v['n'])} {series} race."
        if kind == "first_final_a":
            return f"{name} skated {his} first {series} Final A."
        if kind in ("first_medal_since", "first_win_since"):
            previous = self.history.race(v["previous_race"])
            where = f"{self.race(previous)} in {previous.city} in {previous.season}"
            if kind == "first_win_since":
                return (
                    f"{name} won an individual {series} race for the first time since "
                    f"winning {where}."
                )
            return (
                f"{name} won {his} first individual {series} medal since "
                f"a {MEDALS[v['previous_rank']]} in {where}."
            )
        if kind == "win_streak":
            distance = race.rules_distance.short_label
            return f"{name} won {his} {count_word(v['n'])} {distance} race in a row."
        if kind == "medal_streak":
            return (
                f"{name} has won a medal in each of the last {v['n']} "
                f"{race.gender}'s individual races."
            )
        if kind == "age":
            return f"{name} won {MEDALS[v['rank']]} at {v['age']}."
        if kind in ("youngest_winner", "oldest_winner"):
            which = "youngest" if kind == "youngest_winner" else "oldest"
            return (
                f"At {v['age']}, {name} is the {which} winner of a {race.gender}'s "
                f"individual race this season."
            )
        if kind == "nation_first_medal":
            return f"{self.nation(v['nation'])} won its first medal of the season."
        if kind == "nation_first_win":
            return f"{self.nation(v['nation'])} won a race for the first time this season."
        if kind == "nation_sweep":
            return f"{self.nation(v['nation'])} took all three medals in {the_race}."
        if kind in ("world_record", "track_record", "season_best", "personal_best"):
            return self._best(fact, name, his, the_race, race)
        if kind == "standing":
            return self._standing(race, fact, name)
        if kind == "clinched":
            return self._clinched(race, fact, name)
        raise ValueError(f"no sentence for facts of kind {kind!r}")

    def _incident(self, name: str, v, the_race: str) -> str:
        status = v["status"]
        why = f" for {v['warnings']}" if v.get("warnings") else ""
        if status == "PEN":
            return f"{name} was penalised{why} in the Final A of {the_race}."
        if status in ("YC", "RC"):
            card = "a yellow card" if status == "YC" else "a red card"
            return f"{name} was shown {card}{why} in the Final A of {the_race}."
        if status == "DNF":
            return f"{name} did not finish the Final A of {the_race}."
        return f"{name} did not start the Final A of {the_race}."

    def several(self, facts: Sequence[Fact]) -> str:
        """Facts of one ``GROUPED`` kind about several skaters, in one sentence: "Jung, Côté
        and Roy won their first World Tour medals."."""
        series = self.series(self.history.race(facts[0].race))

        def podium_order(fact: Fact) -> tuple:  # as the podium sentences named them
            line = self.history.line_of(fact.race, fact.subject)
            return (self.history.race(fact.race).order, line.rank if line else 0, fact.key)

        who = self.names([f.subject for f in sorted(facts, key=podium_order)])
        kind = facts[0].kind
        if kind == "first_medal":
            return capital(f"{who} won their first {series} medals.")
        if kind == "first_win":
            return capital(f"{who} won a {series} race for the first time.")
        return capital(f"{who} skated their first {series} Final A.")

    def records_fell(self, facts: Sequence[Fact]) -> str:
        """Track records of one distance race, beaten one after another, in one sentence:
        "The track record for Utah Olympic Oval fell three times in the women's 1000m: to
        1:29.420 by Hanne Desmet (BEL) in the heats, ... (before: 1:29.455)."."""
        race = self.history.race(facts[0].race)
        chain = sorted(facts, key=lambda f: -f.values["time_ms"])  # in the order they fell
        times = {2: "twice", 3: "three times"}.get(len(chain), f"{len(chain)} times")
        each = [
            f"{format_time(f.values['time_ms'])} in the {RoundKind(f.values['round']).prose} "
            f"by {self._setter(f.subject, race)}"
            for f in chain
        ]
        told = ", ".join(each[:-1]) + " and " + each[-1]
        before = format_time(chain[0].values["previous_ms"])
        venue = race.venue or race.city
        return (
            f"The track record for {venue} fell {times} in {self.race(race)}: to {told} "
            f"(before: {before})."
        )

    def _setter(self, entrant: str, race: RaceOnRecord) -> str:
        """A record setter in a sentence about ``race``: a podium of another race does not
        describe them there."""
        if entrant.startswith("s"):
            return self._skater(entrant, within=race)
        return self.name(entrant)

    def _best(self, fact: Fact, name: str, his: str, the_race: str, race: RaceOnRecord) -> str:
        v = fact.values
        time, before = format_time(v["time_ms"]), format_time(v["previous_ms"])
        where = f"in the {RoundKind(v['round']).prose} of {the_race}"
        if fact.kind == "world_record":
            if v.get("previous_holder"):
                convention = self.history.rules[race.season].korean_given.value
                by = holder_in_text(v["previous_holder"], convention)
                year = f" from {v['previous_year']}" if v.get("previous_year") else ""
            else:
                by, year = self.name(v["previous_entrant"]), ""
            return (
                f"{name} set a world record of {time} {where}, beating the {before} of {by}{year}."
            )
        if fact.kind == "track_record":
            venue = race.venue or race.city
            return f"{name} set a track record for {venue} of {time} {where} (before: {before})."
        if fact.kind == "season_best":
            distance = race.rules_distance.label
            return (
                f"{name} skated the fastest {distance[0].lower() + distance[1:]} of the season, "
                f"{time}, {where} (before: {before})."
            )
        return f"{name} improved {his} personal best to {time} {where} (before: {before})."

    def _lead(self, race: RaceOnRecord, fact: Fact) -> str:
        v = fact.values
        where = self.classification(race, v["classification"])
        leaders = v["leaders"]
        if len(leaders) > 1:
            text = f"{self.names(leaders)} share the lead in {where} with {v['points']} points"
        else:
            text = f"{self.subject(leaders[0])} leads {where} with {v['points']} points"
        if v["gap"] is not None and v["second"]:
            text += f", {v['gap']} ahead of {self.names(v['second'])}"
        return text + "."

    def _standing(self, race: RaceOnRecord, fact: Fact, name: str) -> str:
        v = fact.values
        where = self.classification(race, v["classification"])
        if v["rank"] == 1:
            return f"{name} is first in {where} with {v['points']} points."
        text = f"{name} is {count_word(v['rank'])} in {where} with {v['points']} points"
        if v["next"]:
            text += f", {v['behind_next']} behind {self.name(v['next'])}"
        return text + "."

    def shared(self, race: RaceOnRecord, facts: Sequence[Fact]) -> str:
        """Entrants level at the top when the last race of a classification was run."""
        title = self.title(race, facts[0].values["classification"])
        names = self.names([f.subject for f in facts])
        return f"{names} share {title} with {facts[0].values['points']} points."

    def _clinched(self, race: RaceOnRecord, fact: Fact, name: str) -> str:
        v = fact.values
        title = self.title(race, v["classification"])
        if v["verdict"] == "clinched":
            left = v["races_left"]
            return (
                f"{name} clinched {title} with {left} race{'s' if left != 1 else ''} to go: "
                f"{v['points']} points, more than any rival can reach ({v['best_rival']})."
            )
        if v["verdict"] == "shared":
            return f"{name} shares {title} with {v['points']} points."
        return f"{name} won {title} with {v['points']} points."


def summarise(history: History, race_ids: Sequence[int], facts: Sequence[Fact]) -> Summary:
    """The summary of a session: its finals in order, the standings, the notable facts."""
    writer = Writer(history)
    races = sorted((history.race(r) for r in race_ids), key=lambda r: r.order)
    by_race: dict[int, list[Fact]] = {}
    for fact in facts:
        by_race.setdefault(fact.race, []).append(fact)
    sentences: list[Sentence] = []
    used: set[str] = set()

    for race in races:
        own = by_race.get(race.id, [])
        podium = next((f for f in own if f.kind == "podium"), None)
        if podium is None:
            continue
        winners = [p["entrant"] for p in podium.values["places"] if p["rank"] == 1]
        asides = [a for w in winners if (a := _aside(own, w)) is not None]
        writer.begin()
        text = capital(writer.podium(race, podium, asides, where=not sentences, nth=len(sentences)))
        keys = (podium.key, *(a.key for a in asides))
        sentences.append(Sentence(text, keys))
        used.update(keys)

    closing = _closing_leads(history, races, by_race)
    for race in races:
        own = by_race.get(race.id, [])
        decided: dict[str, list[Fact]] = {}
        for fact in (f for f in own if f.kind == "clinched"):
            decided.setdefault(fact.values["classification"], []).append(fact)
        for group in decided.values():
            writer.begin()
            text = writer.shared(race, group) if len(group) > 1 else writer.describe(group[0])
            sentences.append(Sentence(capital(text), tuple(f.key for f in group)))
            used.update(f.key for f in group)
        leaders = [
            f
            for f in own
            if f.kind == "new_leader" and f.values["previous"] and not _decided(own, f)
        ]
        for new in leaders:
            if new.key in used:
                continue
            spec = new.values["classification"]
            news = [f for f in leaders if f.values["classification"] == spec]
            ended = [
                f for f in own if f.kind == "lead_ended" and f.values["classification"] == spec
            ]
            lead = next(
                (
                    f
                    for f in closing
                    if len(news) > 1
                    and f.race == race.id
                    and f.values["classification"] == spec
                    and sorted(f.values["leaders"]) == sorted(n.subject for n in news)
                ),
                None,
            )
            writer.begin()
            text = capital(writer.lead_change(race, news, ended, lead))
            keys = (*(f.key for f in news), *(f.key for f in ended), *([lead.key] if lead else []))
            sentences.append(Sentence(text, keys))
            used.update(keys)

    for fact in closing:
        if fact.key not in used and not any(
            f.kind == "clinched" and f.values["classification"] == fact.values["classification"]
            for f in facts
        ):
            writer.begin()
            sentences.append(Sentence(writer.describe(fact), (fact.key,)))
        used.add(fact.key)

    chosen = notable(facts, used)
    for block, group in _blocks(chosen):
        if block != "subject":
            writer.begin()
            text = writer.records_fell(group) if block == "records" else writer.several(group)
            sentences.append(Sentence(text, tuple(f.key for f in group)))
            continue
        while group:
            writer.begin()
            if len(group) > 1 and {group[0].kind, group[1].kind} <= JOINABLE:
                first, second, *group = group
                text = writer.together(first, second)
                sentences.append(Sentence(text, (first.key, second.key)))
            else:
                fact, *group = group
                sentences.append(Sentence(writer.describe(fact), (fact.key,)))
    written = {key for s in sentences for key in s.facts}
    footnote = None
    if history.seasons and any(f.kind in CAREER_KINDS and f.key in written for f in facts):
        footnote = (
            f"Career counts and records are of the results held here, from {history.seasons[0]}."
        )
    return Summary(tuple(sentences), tuple(chosen), footnote)


def _blocks(facts: Sequence[Fact]) -> list[tuple[str, list[Fact]]]:
    """The notable facts in the order they are said, each block where its first fact comes
    (rarest first): the track records beaten in one distance race together ("records"),
    facts of one ``GROUPED`` kind about several skaters together ("kind"), then what is
    said of one subject together ("subject")."""
    counts: dict[tuple, int] = {}
    for fact in facts:
        if fact.kind == "track_record":
            counts[("records", fact.race)] = counts.get(("records", fact.race), 0) + 1
        if fact.kind in GROUPED:
            counts[("kind", fact.kind)] = counts.get(("kind", fact.kind), 0) + 1
    blocks: dict[tuple, list[Fact]] = {}
    for fact in facts:
        key = ("subject", fact.subject)
        if fact.kind == "track_record" and counts[("records", fact.race)] > 1:
            key = ("records", fact.race)
        elif fact.kind in GROUPED and counts[("kind", fact.kind)] > 1:
            key = ("kind", fact.kind)
        blocks.setdefault(key, []).append(fact)
    return [(key[0], group) for key, group in blocks.items()]


def _aside(facts: Sequence[Fact], winner: str) -> Fact | None:
    """The count worth saying with the winner's name: a first win, a milestone, or the
    nth win of the season (from the second)."""
    for kind in ("first_win", "career_wins", "season_wins"):
        for f in facts:
            if f.kind != kind or f.subject != winner:
                continue
            if kind == "career_wins" and f.rarity < NOTABLE_THRESHOLD:
                continue
            if kind == "season_wins" and f.values["n"] < 2:
                continue
            return f
    return None


def _decided(facts: Sequence[Fact], new: Fact) -> bool:
    return any(
        f.kind == "clinched"
        and f.subject == new.subject
        and f.values["classification"] == new.values["classification"]
        for f in facts
    )


def _closing_leads(history: History, races, by_race) -> list[Fact]:
    """The lead in each overall classification after the last race of the session in it."""
    last: dict[str, Fact] = {}
    for race in races:
        for f in by_race.get(race.id, []):
            if f.kind != "lead":
                continue
            spec = history.rules[race.season].classification(f.values["classification"])
            if spec.kind == "overall":
                last[spec.key] = f
    return [last[k] for k in sorted(last)]
