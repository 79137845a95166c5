"""A synthetic petition corpus for scale checks: names, places, vocabulary and a petition plan.

Pure Python (no Django, no database): `plan_corpus` lays out the petitions' timeline and numbers,
`Writer` produces their text. Everything is drawn from a seeded `random.Random`, so one seed gives
one corpus. The data is synthetic; the names are realistic but no row describes a real petition.
"""

import math
import random
import re
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

from petitions import parliaments

SOURCE = "synthetic:corpus"
IMPORTED_BY = "synthetic corpus"
E_NUMBER_BASE = 100_000  # e-100000 … e-999999: the URL converter allows six digits
PRESENTED_SEQ_BASE = 10_000  # 441-10000 … 441-99999: real presentation numbers stay lower
RARE_TOKENS = {"zyxomorph": 20, "quillfeather": 10, "brambleshank": 5}  # petitions per token
PHRASE = "foreign interference"
PHRASE_SHARE = 0.02
START = date(2015, 12, 3)  # e-petitions began with the 42nd Parliament
PAPER_START = date(1994, 1, 17)  # paper petitions: every session the archive knows
ZONE = ZoneInfo("America/Toronto")


def _words(text: str) -> list[str]:
    return text.split()


CAUCUSES = [  # name, share of MPs
    ("Liberal", 45), ("Conservative", 38), ("Bloc Québécois", 8), ("New Democratic Party", 7),
    ("Green Party", 1), ("Independent", 1),
]  # fmt: skip
PROVINCES = [  # code, name, share of people, places (cities and riding names)
    ("ON", "Ontario", 38, "Toronto Ottawa Mississauga Brampton Hamilton London Markham Vaughan Kitchener Windsor Oakville Burlington Sudbury Oshawa Barrie Guelph Kingston Thunder_Bay Waterloo Peterborough Niagara_Falls Sault_Ste._Marie Timmins Kenora Brantford Milton Ajax Pickering Whitby Cambridge"),
    ("QC", "Quebec", 22, "Montréal Québec Laval Gatineau Longueuil Sherbrooke Lévis Saguenay Trois-Rivières Terrebonne Repentigny Brossard Drummondville Granby Rimouski Joliette Beauce Chicoutimi Abitibi Gaspésie"),
    ("BC", "British Columbia", 14, "Vancouver Surrey Burnaby Richmond Victoria Kelowna Abbotsford Coquitlam Nanaimo Kamloops Chilliwack Prince_George Langley Delta Saanich Cariboo Skeena Courtenay"),
    ("AB", "Alberta", 12, "Calgary Edmonton Red_Deer Lethbridge St._Albert Medicine_Hat Grande_Prairie Airdrie Spruce_Grove Fort_McMurray Lakeland Foothills Banff Sherwood_Park"),
    ("MB", "Manitoba", 4, "Winnipeg Brandon Steinbach Selkirk Portage_la_Prairie Dauphin Churchill"),
    ("SK", "Saskatchewan", 3, "Saskatoon Regina Prince_Albert Moose_Jaw Yorkton Swift_Current Battlefords"),
    ("NS", "Nova Scotia", 3, "Halifax Dartmouth Sydney Truro New_Glasgow Kentville Yarmouth"),
    ("NB", "New Brunswick", 2, "Moncton Saint_John Fredericton Miramichi Bathurst Edmundston"),
    ("NL", "Newfoundland and Labrador", 2, "St._John's Mount_Pearl Corner_Brook Gander Labrador"),
    ("PE", "Prince Edward Island", 1, "Charlottetown Summerside Cardigan Malpeque"),
    ("NT", "Northwest Territories", 1, "Yellowknife Inuvik Hay_River"),
    ("YT", "Yukon", 1, "Whitehorse Dawson_City Watson_Lake"),
    ("NU", "Nunavut", 1, "Iqaluit Rankin_Inlet Cambridge_Bay"),
]  # fmt: skip
FIRST_NAMES = _words(
    "Mary James Sarah Michael Emily David Olivia Daniel Sophie Robert Chloé Jean Marie Pierre "
    "Isabelle Luc Nathalie François Julie Marc Amélie Patrick Priya Raj Harjit Simran Wei Mei "
    "Jun Ling Ahmed Fatima Omar Aisha Mohammed Leila Carlos Ana Diego Lucia Kwame Amara Tunde "
    "Ngozi Liam Noah Emma Ava Ethan Grace Jack Hannah Owen Maya Ryan Claire Kevin Laura Brian "
    "Heather Colin Rachel Gordon Fiona Tyler Megan Dylan Brooke Joseph Elena Samuel Nadia"
)
LAST_NAMES = _words(
    "Smith Brown Tremblay Martin Roy Wilson MacDonald Gagnon Johnson Taylor Campbell Anderson "
    "Leblanc Lee Côté Bouchard Gauthier Morin Lavoie Fortin Gélinas Ouellet Chen Wang Li Zhang "
    "Singh Patel Sharma Gill Dhillon Khan Ali Hussain Nguyen Tran Kim Park Santos Silva Rossi "
    "Bianchi Kowalski Nowak Okafor Mensah Mahmoud Haddad Fraser Murray Stewart Robertson Thompson "
    "White Clarke Hughes Walker Young King Wright Scott Green Baker Adams Nelson Hill Mitchell "
    "Carter Phillips Evans Turner Parker Collins Edwards Morris Murphy Cook Rogers Reid Bergeron "
    "Paquette Pelletier Bélanger Lévesque Poirier Gosselin Beaulieu Cloutier Desjardins Lachance"
)
# Subject (share of petitions ∝ 1/rank) and the portfolio that usually answers it.
TOPICS = [
    ("Foreign affairs", "Minister of Foreign Affairs"),
    ("Health", "Minister of Health"),
    ("Environment", "Minister of Environment and Climate Change"),
    ("Justice", "Minister of Justice and Attorney General of Canada"),
    ("Public safety", "Minister of Public Safety"),
    ("Civil and human rights", "Minister of Justice and Attorney General of Canada"),
    ("Citizenship and immigration", "Minister of Immigration, Refugees and Citizenship"),
    ("Indigenous affairs", "Minister of Crown-Indigenous Relations"),
    ("Social affairs and equality", "Minister of Families, Children and Social Development"),
    ("Economics and finance", "Minister of Finance"),
    ("Firearms", "Minister of Public Safety"),
    ("Animals", "Minister of Agriculture and Agri-Food"),
    ("Climate change", "Minister of Environment and Climate Change"),
    ("Taxation", "Minister of National Revenue"),
    ("Agriculture", "Minister of Agriculture and Agri-Food"),
    ("Housing", "Minister of Housing, Infrastructure and Communities"),
    ("Employment and labour", "Minister of Labour"),
    ("Transportation", "Minister of Transport"),
    ("Energy", "Minister of Energy and Natural Resources"),
    ("Natural resources", "Minister of Energy and Natural Resources"),
    ("Fisheries", "Minister of Fisheries, Oceans and the Canadian Coast Guard"),
    ("Veterans affairs", "Minister of Veterans Affairs"),
    ("Democratic process", "Minister of Democratic Institutions"),
    ("Elections", "Minister of Democratic Institutions"),
    ("Seniors", "Minister of Seniors"),
    ("Pensions", "Minister of Seniors"),
    ("Science and technology", "Minister of Innovation, Science and Industry"),
    ("Business and trade", "Minister of International Trade"),
    ("International development", "Minister of International Development"),
    ("Arts and culture", "Minister of Canadian Heritage"),
    ("Media and telecommunications", "Minister of Canadian Heritage"),
    ("Official languages", "Minister of Official Languages"),
    ("Religion", "Minister of Canadian Heritage"),
    ("National defence", "Minister of National Defence"),
    ("Government services", "Minister of Public Services and Procurement"),
    ("Infrastructure", "Minister of Housing, Infrastructure and Communities"),
    ("Consumer protection", "Minister of Innovation, Science and Industry"),
    ("Women and gender equality", "Minister for Women and Gender Equality and Youth"),
    ("Persons with disabilities", "Minister of Diversity, Inclusion and Persons with Disabilities"),
    ("Postal services", "Minister of Public Services and Procurement"),
    ("Northern affairs", "Minister of Northern Affairs"),
]
OTHER_PORTFOLIOS = [
    "Prime Minister", "President of the Treasury Board", "Minister of Indigenous Services",
    "Minister of Mental Health and Addictions", "Minister of Emergency Preparedness",
    "Minister of Intergovernmental Affairs", "Minister of Rural Economic Development",
    "Leader of the Government in the House of Commons",
]  # fmt: skip
PORTFOLIOS = list(dict.fromkeys([p for _, p in TOPICS] + OTHER_PORTFOLIOS))
ADDRESSEES = [
    "House of Commons",
    "Government of Canada",
    "House of Commons in Parliament assembled",
]

# The most frequent words, most frequent first; the rest of the vocabulary follows them.
HEAD = _words("""the of and to in a that for is on be by with as are this have Canada government which
it not from or has all their at Canadians an will we our federal its these been other more such
public national people under who including also should would can those they support may into any
Canadian new care there within program communities provide ensure services current was were must
many House Commons act through Minister while each law rights time years funding access provinces
territories system over both only about where than between policy measures important continue
response work information need most order committee legislation health families community
country""")
NOUNS = _words("""abuse accountability agency agreement allowance amendment analysis application approach
assessment assistance authority award balance barrier benefit bill border budget building
business campaign capacity case centre charge charity child children citizen city claim climate
coast commission commitment compensation concern condition conflict consultation consumer contract
contribution cost council court coverage crime crisis culture damage data deadline death debt
decision defence deficit delay democracy department deployment development diagnosis dignity
disability disaster discrimination disease dispute district doctor donation drug duty economy
education effort election emergency emission employer employee employment energy enforcement
environment equality equipment evidence exemption expense export facility factor failure family
farm farmer fee firearm fishery flood food force forest framework fraud freedom fuel fund future
generation goal grant group growth guideline habitat harm hospital household housing
identity impact import income increase industry inflation infrastructure injury inquiry institution
insurance investment issue job judge jurisdiction justice labour land language leader level licence
loan market measure medication member mental_health minimum mortgage nation need neighbourhood
network nurse obligation ocean office officer official operation opportunity organization
outcome owner park participation partner partnership patient payment pension permit person pipeline
plan platform police pollution population port poverty practice pressure price priority prison
process producer product profit project property proposal protection province provision question
rate reform refugee region regulation relief report representative request research reserve
resident resource responsibility restriction retirement review right risk road rule safety salary
sanction school science sector security senior sentence service settlement shortage site situation
species staff standard statement strategy student study subsidy supply support surgery survey
system target tax teacher technology territory threat trade tradition traffic training transit
transparency treatment treaty tribunal trust union university veteran victim violence vote voter
wage waste water wealth weapon welfare wildlife worker workplace youth""")
VERBS = _words("""abolish accept achieve acknowledge address adopt advance affect allocate allow amend
announce appoint approve assess assist attract balance ban call collect combat commit
complete conduct confirm consider consult continue contribute create declare defend deliver
deny deploy design develop direct disclose eliminate encourage enforce engage enhance establish
evaluate examine expand explore extend fail fund govern grant guarantee help identify implement
improve include increase inform invest investigate issue join launch limit list maintain
manage monitor negotiate notify observe obtain oppose outline oversee permit prepare preserve
prevent prioritize proceed prohibit promote protect provide publish pursue raise recognize
recommend reduce reform regulate reject release remain remove renew repeal replace report
represent require respect respond restore restrict review revise safeguard secure serve
share strengthen study submit suspend sustain target track train transfer treat urge work""")
ADJECTIVES = _words("""able additional adequate affordable annual appropriate available basic broad
central chronic civil clear collective commercial common comprehensive concerned consistent
constitutional critical cultural current dangerous democratic direct domestic economic effective
eligible environmental equal essential ethical existing fair financial fiscal foreign formal
free full fundamental general global good great harmful healthy high historic human immediate
independent indigenous individual industrial inadequate international key large legal local long
low main major medical military minimal modern municipal natural necessary northern official
ongoing open operational particular permanent personal political poor possible potential
practical previous primary private professional proper provincial public recent regional
regulatory relevant remote renewable responsible rural safe serious significant small social
special specific stable strategic strong substantial sufficient sustainable temporary timely
transparent unfair universal urban urgent vulnerable wide""")
OTHER_WORDS = _words("""already approximately currently directly especially fully further however
immediately indeed instead nevertheless often particularly quickly recently significantly since
therefore thus together unfortunately whereas whether without although because during following
regarding towards upon across against among despite throughout unless until build builds built
building cut cuts cutting lead leads led leading pay pays paid paying seek seeks sought seeking
withdraw withdraws withdrew withdrawn uphold upholds upheld crises analyses diagnoses""")
EXCLUDED = re.compile(r"^(interfer|zyx|quill|bramble)", re.IGNORECASE)


UNCOUNTABLE = _words("""abuse child children coverage crisis analysis diagnosis damage data
education employment energy enforcement equality evidence food fraud freedom growth harm housing
infrastructure insurance justice labour mental_health participation pollution poverty protection
relief research retirement safety science security staff supply traffic transit transparency
trust violence waste water wealth welfare wildlife youth accountability democracy dignity
equipment""")
SINGLE_CONSONANT = {"limit", "target", "develop", "strengthen", "benefit", "visit"}
DOUBLE_CONSONANT = {"transfer"}


def _plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _verb_forms(verb: str) -> list[str]:
    if verb.endswith("e"):
        past, ing = verb + "d", verb + "ing" if verb.endswith("ee") else verb[:-1] + "ing"
    elif re.search(r"[^aeiou]y$", verb):
        past, ing = verb[:-1] + "ied", verb + "ing"
    elif verb in DOUBLE_CONSONANT or (
        re.search(r"[^aeiou][aeiou][bgmnpt]$", verb) and verb not in SINGLE_CONSONANT
    ):
        past, ing = verb + verb[-1] + "ed", verb + verb[-1] + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    return [verb, _plural(verb), past, ing]


def fixture_words(folder: Path) -> list[str]:
    """Words of the English petition pages kept as fixtures, most common spelling of each."""
    counts: dict[str, dict[str, int]] = {}
    for path in sorted(folder.rglob("*.txt")):
        if ".fr." in path.name:
            continue
        for word in re.findall(r"\b[A-Za-z][a-z]+\b", path.read_text(encoding="utf-8")):
            forms = counts.setdefault(word.lower(), {})
            forms[word] = forms.get(word, 0) + 1
    return [
        low if low in forms else max(forms, key=forms.get) for low, forms in sorted(counts.items())
    ]


def vocabulary(extra: Iterable[str] = ()) -> list[str]:
    """A few thousand words, ordered for a Zipf distribution (rank 1 is the most frequent)."""
    plurals = [_plural(n) for n in NOUNS if n not in UNCOUNTABLE]
    tail = [w.replace("_", " ") for w in NOUNS + plurals]
    tail += [form for verb in VERBS for form in _verb_forms(verb)] + ADJECTIVES + OTHER_WORDS
    tail += list(extra)
    head = {w.lower() for w in HEAD}
    seen: dict[str, str] = {}
    for word in tail:
        if word.lower() not in head and not EXCLUDED.match(word):
            seen.setdefault(word.lower(), word)
    rest = sorted(seen.values())
    random.Random(0).shuffle(rest)
    return HEAD + rest


class Writer:
    """Zipf-distributed English-looking prose with optional planted words and phrases."""

    def __init__(self, rng: random.Random, words: Sequence[str], exponent: float = 1.0):
        self.rng = rng
        self.words = list(words)
        self.cum = zipf_cum(len(self.words), exponent)
        mean = sum((len(w) + 1) / (r + 1) ** exponent for r, w in enumerate(words))
        self.chars_per_word = mean / self.cum[-1] + 0.15  # spaces, commas and full stops

    def passage(self, low: int, high: int, planted: Sequence[str] = ()) -> str:
        """Sentences totalling about `low`–`high` characters, containing each planted string."""
        rng = self.rng
        count = max(4, round(rng.randint(low, high) / self.chars_per_word))
        words = rng.choices(self.words, cum_weights=self.cum, k=count)
        for position, item in zip(rng.sample(range(count), len(planted)), planted, strict=True):
            words[position] = item
        sentences, i = [], 0
        while i < count:
            length = rng.randint(7, 24)
            sentence = words[i : i + length]
            i += length
            if len(sentence) > 12:
                sentence[len(sentence) // 2] += ","
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            sentences.append(" ".join(sentence) + ".")
        return " ".join(sentences)


def weighted(rng: random.Random, cum: list[float]) -> int:
    """An index drawn from cumulative weights."""
    return bisect(cum, rng.random() * cum[-1])


def zipf_cum(n: int, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(n)))


@dataclass(slots=True)
class Plan:
    """One synthetic petition's kind, people and timeline; numbers are set by `plan_corpus`."""

    index: int
    kind: str
    topic: int
    presenter: int | None = None
    sponsor: int | None = None
    signatures: int | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    presented_on: date | None = None
    response_tabled_on: date | None = None
    end_state: str = ""
    parliament: int | None = None
    session: int | None = None
    number: str = ""
    presented_number: str | None = None


def sitting_day(day: date) -> tuple[date, int, int] | None:
    """The first weekday on or after `day` on which a session sits, with that session."""
    for parliament, session, first, last in parliaments.SESSIONS:
        if last is not None and day > last:
            continue
        day = max(day, first)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        if last is None or day <= last:
            return day, parliament, session
    return None


def session_end(parliament: int, session: int) -> date:
    for p, s, _first, last in parliaments.SESSIONS:
        if (p, s) == (parliament, session):
            return last or date.max
    return date.max


def response_days(rng: random.Random) -> int:
    """Days from presentation to response: 10–140, centred near 45."""
    return min(140, max(10, round(rng.lognormvariate(math.log(45), 0.35))))


def _present(plan: Plan, rng: random.Random, day: date, today: date) -> None:
    sitting = sitting_day(day)
    if sitting is None or sitting[0] > today:
        return
    plan.presented_on, plan.parliament, plan.session = sitting
    if plan.signatures is not None:
        plan.signatures = max(plan.signatures, 500)
    if rng.random() < 0.75:
        tabled = plan.presented_on + timedelta(days=response_days(rng))
        if tabled > session_end(plan.parliament, plan.session):
            plan.end_state = "unanswered_dissolution"
        elif tabled <= today:
            plan.response_tabled_on = tabled


def plan_corpus(count: int, rng: random.Random, members: int, now: datetime) -> list[Plan]:
    """The timeline of `count` petitions: ~30% paper, ~80% presented, ~70% of those answered."""
    today = now.astimezone(ZONE).date()
    span, paper_span = (today - START).days, (today - PAPER_START).days
    topic_cum, member_cum = zipf_cum(len(TOPICS), 0.8), zipf_cum(members, 0.6)
    plans = []
    for index in range(count):
        plan = Plan(index, "e-petition", weighted(rng, topic_cum))
        plan.sponsor = weighted(rng, member_cum)
        if rng.random() < 0.3:
            plan.kind = "paper"
            while plan.presented_on is None:
                _present(plan, rng, PAPER_START + timedelta(rng.randrange(paper_span)), today)
        else:
            opened = START + timedelta(days=rng.randrange(span))
            minutes = rng.randrange(8 * 60, 17 * 60)
            plan.opened_at = datetime.combine(opened, time(minutes // 60, minutes % 60), ZONE)
            plan.closed_at = plan.opened_at + timedelta(days=rng.choice([30, 60, 90, 120, 120]))
            plan.signatures = min(250_000, max(25, round(rng.lognormvariate(6.3, 1.6))))
            fate = rng.random()
            if fate < 0.72:
                _present(plan, rng, plan.closed_at.date() + timedelta(rng.randint(3, 60)), today)
            elif plan.closed_at < now and fate < 0.88:
                plan.end_state, plan.signatures = "not_certified", min(plan.signatures, 499)
            elif plan.closed_at < now and fate < 0.92:
                plan.end_state = "closed_dissolution"
            if plan.presented_on is None:
                plan.parliament, plan.session = parliaments.session_on(opened)
        if plan.presented_on is not None:
            plan.presenter = plan.sponsor if rng.random() < 0.9 else weighted(rng, member_cum)
        plans.append(plan)
    number_corpus(plans)
    return plans


def number_corpus(plans: list[Plan]) -> None:
    """E-petitions numbered by opening, presentations by day within each session: paper first
    (it is their number); e-petitions past a full session's range get none (at ~500,000 and up)."""
    e_petitions = sorted((p for p in plans if p.kind == "e-petition"), key=lambda p: p.opened_at)
    if len(e_petitions) > 1_000_000 - E_NUMBER_BASE:
        raise ValueError(f"too many e-petitions for the reserved range e-{E_NUMBER_BASE}…e-999999")
    for offset, plan in enumerate(e_petitions):
        plan.number = f"e-{E_NUMBER_BASE + offset}"
    sessions: dict[tuple[int, int], list[Plan]] = {}
    presented = sorted((p for p in plans if p.presented_on), key=lambda p: p.presented_on)
    for plan in sorted(presented, key=lambda p: p.kind != "paper"):  # stable: paper first
        sessions.setdefault((plan.parliament, plan.session), []).append(plan)
    for (parliament, session), in_session in sessions.items():
        room = 100_000 - PRESENTED_SEQ_BASE
        if sum(p.kind == "paper" for p in in_session) > room:
            raise ValueError(
                f"too many paper petitions in session {parliament}-{session} for the reserved "
                f"range {parliament}{session}-{PRESENTED_SEQ_BASE}…99999"
            )
        numbered = sorted(in_session[:room], key=lambda p: p.presented_on)
        for offset, plan in enumerate(numbered):
            plan.presented_number = f"{parliament}{session}-{PRESENTED_SEQ_BASE + offset:05d}"
            if plan.kind == "paper":
                plan.number = plan.presented_number
