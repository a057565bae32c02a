"""A pool of fictional skaters from real ISU Members, each with a strength per distance.

Names are made from each nation's common family and given names, so a simulated result
sheet reads like a real one ("KIM Min-ji (KOR)", "KOWALSKI Jakub (POL)" and "KOWALSKA Julia
(POL)": a family name written by gender takes the skater's form) while no real person is
named: every skater the pool makes is marked fictional wherever it shows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# A family name, or where the language writes it by gender its (women's, men's) forms:
# Polish Kowalska/Kowalski, Bulgarian Ivanova/Ivanov, Czech Nováková/Novák, Latvian
# Bērziņa/Bērziņš, Lithuanian Kazlauskaitė/Kazlauskas.
Family = str | tuple[str, str]
# (family names, women's given names, men's given names); East Asian names are written
# family name first, the others given name first, as on ISU sheets.
NAMES: dict[str, tuple[list[Family], list[str], list[str]]] = {
    "KOR": (
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Jang", "Han", "Seo"],
        ["Min-ji", "Seo-yeon", "Ji-woo", "Ha-eun", "Yu-na", "Su-bin", "Da-eun", "Ye-jin"],
        ["Min-jun", "Seo-jun", "Do-yun", "Ji-ho", "Hyun-woo", "Tae-min", "Jun-seo", "Woo-jin"],
    ),
    "CHN": (
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Sun", "Lin", "Zhao", "Wu", "Fan"],
        ["Xinyi", "Yuting", "Meiling", "Jiayi", "Ruoxi", "Siqi", "Wanting", "Yanan"],
        ["Haoran", "Zihan", "Yichen", "Junjie", "Tianyu", "Zhiwei", "Bowen", "Kaiyang"],
    ),
    "NED": (
        ["de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "van der Berg"],
        ["Lotte", "Femke", "Sanne", "Anouk", "Roos", "Iris", "Noor", "Jorien"],
        ["Daan", "Sem", "Jesper", "Thijs", "Bram", "Ruben", "Niels", "Stijn"],
    ),
    "CAN": (
        ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"],
        ["Camille", "Léa", "Florence", "Rosalie", "Maude", "Emma", "Alicia", "Chloé"],
        ["Félix", "Samuel", "William", "Olivier", "Mathis", "Gabriel", "Antoine", "Xavier"],
    ),
    "ITA": (
        ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"],
        ["Giulia", "Chiara", "Martina", "Sofia", "Elisa", "Sara", "Alessia", "Marta"],
        ["Luca", "Matteo", "Andrea", "Davide", "Lorenzo", "Tommaso", "Nicolò", "Simone"],
    ),
    "USA": (
        ["Smith", "Johnson", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore"],
        ["Emily", "Madison", "Hannah", "Abigail", "Olivia", "Grace", "Avery", "Kaylee"],
        ["Ethan", "Jacob", "Tyler", "Ryan", "Brandon", "Austin", "Caleb", "Logan"],
    ),
    "HUN": (
        ["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár"],
        ["Anna", "Zsófia", "Réka", "Petra", "Eszter", "Dóra", "Lili", "Bianka"],
        ["Bence", "Máté", "Levente", "Ádám", "Dániel", "Márton", "Zsombor", "Bálint"],
    ),
    "JPN": (
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"],
        ["Yui", "Hina", "Sakura", "Miyu", "Aoi", "Rin", "Mei", "Kokona"],
        ["Haruto", "Sota", "Yuto", "Riku", "Kaito", "Ren", "Hayato", "Daiki"],
    ),
    "POL": (
        [
            "Nowak",
            ("Kowalska", "Kowalski"),
            ("Wiśniewska", "Wiśniewski"),
            "Wójcik",
            ("Kamińska", "Kamiński"),
            ("Lewandowska", "Lewandowski"),
            ("Zielińska", "Zieliński"),
            ("Szymańska", "Szymański"),
        ],
        ["Zuzanna", "Julia", "Maja", "Hanna", "Kinga", "Natalia", "Wiktoria", "Oliwia"],
        ["Jakub", "Kacper", "Szymon", "Filip", "Michał", "Bartosz", "Mateusz", "Paweł"],
    ),
    "BEL": (
        ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens"],
        ["Elise", "Fien", "Marie", "Lore", "Jana", "Hanne", "Noor", "Lien"],
        ["Arne", "Wout", "Jonas", "Lars", "Senne", "Tibo", "Stef", "Ward"],
    ),
    "KAZ": (
        [
            ("Akhmetova", "Akhmetov"),
            ("Nurlanova", "Nurlanov"),
            "Seitkali",
            "Zhaksylyk",
            ("Omarova", "Omarov"),
            ("Bekova", "Bekov"),
            ("Iskakova", "Iskakov"),
            ("Sadykova", "Sadykov"),
        ],
        ["Aruzhan", "Dana", "Aigerim", "Madina", "Kamila", "Zhanna", "Aida", "Saule"],
        ["Nursultan", "Daulet", "Yerlan", "Arman", "Timur", "Aibek", "Adil", "Ruslan"],
    ),
    "GER": (
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"],
        ["Lena", "Anna", "Laura", "Lea", "Julia", "Marie", "Sophie", "Katharina"],
        ["Lukas", "Jonas", "Leon", "Felix", "Paul", "Niklas", "Tim", "Moritz"],
    ),
    "FRA": (
        ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"],
        ["Manon", "Inès", "Jade", "Louise", "Clara", "Lucie", "Margaux", "Océane"],
        ["Hugo", "Lucas", "Théo", "Nathan", "Maxime", "Quentin", "Enzo", "Baptiste"],
    ),
    "GBR": (
        ["Jones", "Williams", "Brown", "Evans", "Thomas", "Roberts", "Walker", "Wright"],
        ["Amelia", "Isla", "Poppy", "Freya", "Ella", "Millie", "Ruby", "Evie"],
        ["Oliver", "Harry", "George", "Jack", "Charlie", "Alfie", "Oscar", "Finley"],
    ),
    "LAT": (
        [
            ("Bērziņa", "Bērziņš"),
            ("Kalniņa", "Kalniņš"),
            ("Ozola", "Ozols"),
            ("Jansone", "Jansons"),
            ("Liepiņa", "Liepiņš"),
            ("Krūmiņa", "Krūmiņš"),
            ("Balode", "Balodis"),
            ("Zariņa", "Zariņš"),
        ],
        ["Anna", "Laura", "Elīza", "Marta", "Katrīna", "Paula", "Sofija", "Alise"],
        ["Roberts", "Artūrs", "Kristaps", "Mārtiņš", "Jānis", "Rihards", "Emīls", "Dāvis"],
    ),
    "AUS": (
        ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Kelly", "Ryan"],
        ["Charlotte", "Matilda", "Zoe", "Chloe", "Sienna", "Mia", "Harper", "Ivy"],
        ["Jack", "Noah", "Cooper", "Lachlan", "Riley", "Liam", "Mason", "Hunter"],
    ),
}
# Smaller nations: fewer names, weaker skaters, but they fill the heats as at a real World Cup.
SMALL_NATIONS: dict[str, tuple[list[Family], list[str], list[str]]] = {
    "AUT": (
        ["Gruber", "Huber", "Wagner", "Pichler"],
        ["Lena", "Hannah", "Sarah", "Julia"],
        ["Lukas", "Florian", "Tobias", "David"],
    ),
    "BUL": (
        [
            ("Ivanova", "Ivanov"),
            ("Petrova", "Petrov"),
            ("Georgieva", "Georgiev"),
            ("Dimitrova", "Dimitrov"),
        ],
        ["Maria", "Viktoria", "Elena", "Nikol"],
        ["Georgi", "Ivan", "Dimitar", "Nikolay"],
    ),
    "CZE": (
        [
            ("Nováková", "Novák"),
            ("Svobodová", "Svoboda"),
            ("Dvořáková", "Dvořák"),
            ("Černá", "Černý"),
        ],
        ["Tereza", "Eliška", "Anna", "Karolína"],
        ["Jakub", "Jan", "Tomáš", "Matěj"],
    ),
    "EST": (
        ["Tamm", "Saar", "Sepp", "Mägi"],
        ["Liis", "Kadri", "Maria", "Anette"],
        ["Rasmus", "Karl", "Martin", "Oliver"],
    ),
    "FIN": (
        ["Korhonen", "Virtanen", "Mäkinen", "Nieminen"],
        ["Aino", "Emma", "Sofia", "Ella"],
        ["Eetu", "Onni", "Aleksi", "Leevi"],
    ),
    "ISR": (
        ["Cohen", "Levi", "Mizrahi", "Peretz"],
        ["Noa", "Tamar", "Maya", "Yael"],
        ["Itai", "Noam", "Ariel", "Yonatan"],
    ),
    "LTU": (
        [
            ("Kazlauskaitė", "Kazlauskas"),
            ("Jankauskaitė", "Jankauskas"),
            ("Petrauskaitė", "Petrauskas"),
            ("Stankevičiūtė", "Stankevičius"),
        ],
        ["Emilija", "Gabija", "Ieva", "Austėja"],
        ["Lukas", "Matas", "Nojus", "Jokūbas"],
    ),
    "NOR": (
        ["Hansen", "Johansen", "Olsen", "Larsen"],
        ["Ingrid", "Nora", "Emma", "Sara"],
        ["Jakob", "Emil", "Magnus", "Henrik"],
    ),
    "NZL": (
        ["Smith", "Williams", "Wilson", "Thompson"],
        ["Isla", "Charlotte", "Ruby", "Mia"],
        ["Oliver", "Leo", "Hunter", "Arlo"],
    ),
    "ROU": (
        ["Popescu", "Ionescu", "Popa", "Stan"],
        ["Andreea", "Ioana", "Maria", "Elena"],
        ["Andrei", "Mihai", "Alexandru", "Ștefan"],
    ),
    "SGP": (
        ["Tan", "Lim", "Lee", "Ng"],
        ["Chloe", "Rachel", "Cheyanne", "Isabelle"],
        ["Lucas", "Ethan", "Marcus", "Ryan"],
    ),
    "SLO": (
        ["Novak", "Horvat", "Kranjc", "Zupan"],
        ["Nika", "Eva", "Zala", "Ema"],
        ["Luka", "Jan", "Nejc", "Žan"],
    ),
    "SRB": (
        ["Jovanović", "Petrović", "Nikolić", "Marković"],
        ["Milica", "Jelena", "Ana", "Teodora"],
        ["Luka", "Stefan", "Nikola", "Marko"],
    ),
    "SUI": (
        ["Müller", "Meier", "Schmid", "Keller"],
        ["Lara", "Nina", "Alina", "Lea"],
        ["Noah", "Luca", "Nico", "Jan"],
    ),
    "SVK": (
        [
            ("Horváthová", "Horváth"),
            ("Kováčová", "Kováč"),
            ("Vargová", "Varga"),
            ("Tóthová", "Tóth"),
        ],
        ["Natália", "Simona", "Lucia", "Viktória"],
        ["Martin", "Samuel", "Adam", "Tomáš"],
    ),
    "SWE": (
        ["Andersson", "Johansson", "Karlsson", "Nilsson"],
        ["Elsa", "Alice", "Maja", "Wilma"],
        ["William", "Hugo", "Elias", "Oscar"],
    ),
    "TPE": (
        ["Chen", "Lin", "Huang", "Chang"],
        ["Yu-ting", "Pei-shan", "Hsin-yi", "Ya-wen"],
        ["Chun-hao", "Yu-cheng", "Po-wei", "Chia-hung"],
    ),
    "TUR": (
        ["Yılmaz", "Kaya", "Demir", "Şahin"],
        ["Zeynep", "Elif", "Defne", "Ecrin"],
        ["Yusuf", "Eymen", "Mustafa", "Emir"],
    ),
    "UKR": (
        ["Melnyk", "Shevchenko", "Boyko", "Kovalenko"],
        ["Anastasiia", "Sofiia", "Yuliia", "Daryna"],
        ["Oleksandr", "Maksym", "Artem", "Danylo"],
    ),
    "ESP": (
        ["García", "Fernández", "González", "Rodríguez"],
        ["Lucía", "Martina", "Paula", "Carla"],
        ["Hugo", "Pablo", "Álvaro", "Daniel"],
    ),
    "MGL": (
        ["Bat-Erdene", "Ganbold", "Enkhbayar", "Tsogt"],
        ["Anujin", "Nomin", "Khulan", "Saruul"],
        ["Temuulen", "Bilguun", "Enkhjin", "Tuguldur"],
    ),
    "HKG": (
        ["Chan", "Wong", "Leung", "Cheung"],
        ["Hoi-yan", "Wing-sze", "Ka-yan", "Tsz-ching"],
        ["Chun-hei", "Ho-yin", "Tsz-lok", "Ka-ho"],
    ),
    "UZB": (
        [
            ("Karimova", "Karimov"),
            ("Rakhimova", "Rakhimov"),
            ("Yusupova", "Yusupov"),
            ("Tursunova", "Tursunov"),
        ],
        ["Madina", "Sevara", "Dilnoza", "Nilufar"],
        ["Jasur", "Bekzod", "Sardor", "Aziz"],
    ),
    "PHI": (
        ["Santos", "Reyes", "Cruz", "Bautista"],
        ["Andrea", "Sofia", "Althea", "Bea"],
        ["Miguel", "Gabriel", "Rafael", "Joshua"],
    ),
}
NAMES.update(SMALL_NATIONS)
FAMILY_NAME_FIRST = {"KOR", "CHN", "JPN", "TPE", "HKG", "SGP", "MGL"}
# How strong a nation's skaters tend to be: the nations that win most, stronger.
NATION_STRENGTH = {
    "KOR": 1.0,
    "NED": 0.95,
    "CAN": 0.95,
    "CHN": 0.9,
    "ITA": 0.8,
    "USA": 0.75,
    "HUN": 0.7,
    "BEL": 0.7,
    "POL": 0.65,
    "KAZ": 0.65,
    "JPN": 0.65,
    "GER": 0.55,
    "FRA": 0.55,
    "GBR": 0.55,
    "LAT": 0.5,
    "AUS": 0.45,
    **{code: 0.3 for code in SMALL_NATIONS},
}


@dataclass(frozen=True)
class FictionalSkater:
    """A made-up skater with a strength per kind of distance (0 = weak, 1 = the best):
    sprint (500m), middle (1000m) and long (1500m)."""

    key: str
    given_name: str
    family_name: str
    gender: str
    member: str
    birth_date: date
    sprint: float
    middle: float
    long: float

    def strength(self, metres: int) -> float:
        return {500: self.sprint, 1000: self.middle}.get(metres, self.long)


def family_name(family: Family, gender: str) -> str:
    """A family name in the form of the skater's gender: ('Kowalska', 'Kowalski') is
    'Kowalska' for a woman and 'Kowalski' for a man; a name of one form is both."""
    if isinstance(family, str):
        return family
    women, men = family
    return women if gender == "women" else men


def skater_pool(
    seed: int, per_gender: int = 96, season_start: date = date(2025, 10, 1)
) -> list[FictionalSkater]:
    """``per_gender`` fictional women and as many men. Nations are served in turn, strongest
    first, up to three skaters each (a full start quota); the rest go to the eight strongest.
    120 per gender give 40 nations of three; 96 give every nation two and the 16 strongest
    a third."""
    rng = random.Random(seed)
    nations = sorted(NAMES, key=lambda n: (-NATION_STRENGTH[n], n))
    counts = {n: 0 for n in nations}
    for number in range(per_gender):
        if number < 3 * len(nations):
            counts[nations[number % len(nations)]] += 1
        else:
            counts[rng.choices(nations[:8], [NATION_STRENGTH[n] for n in nations[:8]])[0]] += 1
    pool: list[FictionalSkater] = []
    for gender in ("women", "men"):
        used: set[tuple[str, str, str]] = set()
        number = 0
        for member in nations:
            families, women, men = NAMES[member]
            for _ in range(counts[member]):
                for _ in range(50):
                    family = family_name(rng.choice(families), gender)
                    given = rng.choice(women if gender == "women" else men)
                    if (member, family, given) not in used:
                        break
                used.add((member, family, given))
                base = NATION_STRENGTH[member] * rng.uniform(0.55, 1.0)
                age_days = rng.randint(18 * 365, 33 * 365)
                pool.append(
                    FictionalSkater(
                        key=f"SIM-{gender[0].upper()}{number:03d}",
                        given_name=given,
                        family_name=family,
                        gender=gender,
                        member=member,
                        birth_date=date.fromordinal(season_start.toordinal() - age_days),
                        sprint=_clamp(base + rng.gauss(0, 0.08)),
                        middle=_clamp(base + rng.gauss(0, 0.05)),
                        long=_clamp(base + rng.gauss(0, 0.08)),
                    )
                )
                number += 1
    return pool


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
