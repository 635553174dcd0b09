"""Unit tests of the pipeline components on short sentences written for these tests.

The claim tests pin the v1 rules (FRONTWATCH_CLAIMS=v1): they are what the trained v2 model reads as
features, and their behaviour must not change silently. The model has its own tests
(test_claim_model.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from frontwatch.extract import extract_one
from frontwatch.model import Document, Extraction

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTWATCH_CLAIMS", "v1")


def run(text: str) -> Extraction:
    return extract_one(Document(id="t", text=text))


def entity(result: Extraction, form: str) -> tuple[str, str, list[str]]:
    for e in result.entities:
        if form == e.name or form in e.aliases:
            return e.name, e.type, e.aliases
    raise AssertionError(f"no entity {form!r} in {[e.name for e in result.entities]}")


def claims(result: Extraction) -> set[tuple[str, str, str]]:
    return {(c.subject, c.predicate, c.object) for c in result.claims}


def test_pipeline_has_versioned_components(pipeline: Language) -> None:
    names = set(pipeline.pipe_names)
    assert {"gazetteer", "entity_types", "aliases", "claims", "claim_model", "stance", "tactics"} <= names
    assert pipeline.get_pipe_meta("claims").factory == "frontwatch_claims_v1"
    assert pipeline.get_pipe_meta("claim_model").factory == "frontwatch_claims_v2"


@pytest.mark.parametrize(("text", "form", "name", "typ"), [
    ("The Ministry of State Security denied the report.", "Ministry of State Security",
     "Ministry of State Security", "state_body"),
    ("Officials in Beijing's government said nothing.", "Beijing", "China", "country"),
    ("The Chinese government rejected the accusation.", "Chinese government", "China", "country"),
    ("Agents of the Russian special services followed him.", "Russian special services", None, "state_body"),
    ("She met the Chinese Consulate in Calgary last year.", "Chinese Consulate in Calgary",
     "Chinese Consulate in Calgary", "diplomatic_mission"),
    ("Reporters found a police station in Budapest run by Chinese officers.", "police station in Budapest",
     "police station in Budapest", "overseas_station"),
    ("Two men ran a Chinese police station in Manhattan.", "Chinese police station in Manhattan",
     "Chinese police station in Manhattan", "overseas_station"),
    ("Thai security forces arrested him in Bangkok.", "Thai security forces", "Thai security forces",
     "state_body"),
    ("Officers of Chinese military intelligence recruited him.", "Chinese military intelligence",
     "Chinese military intelligence", "state_body"),
    ("Herwig F. and Ina F. were arrested in Dresden.", "Ina F.", "Ina F.", "person"),
    ("Ina F. met the officer in Dresden.", "Ina F.", "Ina F.", "person"),
    ("13 March 2024 - Darius Jauniskis, director of Lithuania's State Security Department (VSD), tells "
     "reporters that the attack was likely organised by Russia.", "Darius Jauniskis", "Darius Jauniskis",
     "person"),
    ("In October 2022 Arshad Sharif, a television anchor, was shot dead.", "Arshad Sharif", "Arshad Sharif",
     "person"),
    ("Bishop Rolando Álvarez of Matagalpa refused to board the plane.", "Rolando Álvarez", "Rolando Álvarez",
     "person"),
    ("Staff at the Australian Consulate-General in Shanghai were told.",
     "Australian Consulate-General in Shanghai", "Australian Consulate-General in Shanghai",
     "diplomatic_mission"),
    ("Officers of the Metropolitan Police Department in Washington arrested him.",
     "Metropolitan Police Department", "Metropolitan Police Department", "state_body"),
    ('"Fear is a lever," Franak Viačorka, Tsikhanouskaya\'s chief political adviser, said in a statement.',
     "Franak Viačorka", "Franak Viačorka", "person"),
    ("Breon Peace, the U.S. Attorney for the Eastern District of New York, said the defendants lied.",
     "Breon Peace", "Breon Peace", "person"),
    ("Among the things Phillips offered to obtain for the pair was the home address of Grant Shapps, who at "
     "the time was Defence Secretary.", "Grant Shapps", "Grant Shapps", "person"),
    ("He crossed the border at Medininkai. Police arrested him outside his home in Almere, a commuter town.",
     "Almere", "Almere", "place"),
    ("The shooting happened in the city's Sisli district on 14 November.", "Sisli", "Sisli", "place"),
    ("Xi Jinping met Wang Yi in Beijing on Monday.", "Xi Jinping", "Xi Jinping", "person"),
    ("Hackers targeted the chairman of the Clinton campaign, whose account was compromised.",
     "Clinton campaign", "Clinton campaign", "organization"),
    ("The aid was stored by the parcel company Meest UK, the police said.", "Meest UK", "Meest UK",
     "organization"),
    ("Amnesty International Kenya described the case as an enforced disappearance.",
     "Amnesty International Kenya", "Amnesty International Kenya", "organization"),
    ("The director of Lithuania's State Security Department said the attack was planned.",
     "State Security Department", "State Security Department", "state_body"),
    ("Diplomats left the Rwandan High Commission in Pretoria.", "Rwandan High Commission in Pretoria",
     "Rwandan High Commission in Pretoria", "diplomatic_mission"),
    ("The High Commission of India in Canberra said nothing.", "High Commission of India in Canberra",
     "High Commission of India in Canberra", "diplomatic_mission"),
    ("A Rwandan military court sentenced him.", "Rwandan military court", "Rwandan military court",
     "state_body"),
    ("Maria Lopez travelled to Lisbon in March.", "Maria Lopez", "Maria Lopez", "person"),
    ("The Uyghur Advocacy League held a vigil in Oslo.", "Oslo", "Oslo", "place"),
    ("Ilan Shor, a fugitive oligarch, paid voters in Moldova.", "Ilan Shor", "Ilan Shor", "person"),
    ("Ankara's intelligence agency MIT abducted six teachers.", "MIT", "National Intelligence Organization",
     "state_body"),
    ("The Calgary Wenzhou Friendship Association hosted the consul.",
     "Calgary Wenzhou Friendship Association", "Calgary Wenzhou Friendship Association", "organization"),
    ("Officials praised the Ottawa HuaYang Merchants Society last year.", "Ottawa HuaYang Merchants Society",
     "Ottawa HuaYang Merchants Society", "organization"),
    # a community body named with its state, but not a body in its capital
    ("The Central Council of Jews in Germany condemned the attack.", "Central Council of Jews in Germany",
     "Central Council of Jews in Germany", "organization"),
    ("The National Security Council in Manila met on Monday.", "National Security Council",
     "National Security Council", "state_body"),
    # a region of a place the gazetteer knows is a place of its own
    ("The pages targeted readers in Eastern Europe and North Africa.", "Eastern Europe", "Eastern Europe",
     "place"),
    # a court the gazetteer knows goes on with "of" and a word it does not know
    ("In August 2022 the Specialized Criminal Court of Appeal increased her term.",
     "Specialized Criminal Court of Appeal", "Specialized Criminal Court of Appeal", "state_body"),
    ("The Specialized Criminal Court of Riyadh jailed him.", "Specialized Criminal Court",
     "Specialized Criminal Court", "state_body"),
    # court filings' anonymous names: the word before the number gives the type
    ("The defendants reported to Foreign Official-1, who paid them.", "Foreign Official-1",
     "Foreign Official-1", "person"),
    ("Co-Conspirator-1 wired the money through Company-1 in May.", "Co-Conspirator-1", "Co-Conspirator-1",
     "person"),
    ("Co-Conspirator-1 wired the money through Company-1 in May.", "Company-1", "Company-1",
     "organization"),
    # a company's legal form ends its name, from the city that opens it
    ("Prosecutors said Shenzhen Huayu Science and Technology Co., Ltd. paid him.",
     "Shenzhen Huayu Science and Technology Co., Ltd.", "Shenzhen Huayu Science and Technology Co., Ltd.",
     "organization"),
    ("Huawei and ZTE Corp. sold the routers.", "ZTE Corp.", "ZTE Corp.", "organization"),
    # a body's office in a city is a body of its own, but not a body in a city
    ("Agents from the FBI's Boston field office interviewed him.", "FBI's Boston field office",
     "FBI's Boston field office", "state_body"),
    ("He spoke for the FBI Washington Field Office.", "FBI Washington Field Office",
     "FBI Washington Field Office", "state_body"),
    ("The FBI in Boston interviewed him.", "Boston", "Boston", "place"),
    # a mission's lower-case noun after "the" or a possessive, with its seat
    ("He had been posted to his country's embassy in Vienna.", "embassy in Vienna", "embassy in Vienna",
     "diplomatic_mission"),
    # a people's court named by its city and rank
    ("He was tried by the Tianjin No. 1 Intermediate People's Court in 2019.",
     "Tianjin No. 1 Intermediate People's Court", "Tianjin No. 1 Intermediate People's Court", "state_body"),
    # a state's forces are a state body, not forces against a state
    ("Ukraine said Russian forces shelled the town.", "Russian forces", "Russian forces", "state_body"),
    # a state's mission to the United Nations, not the state's task
    ("A spokesman for Iran's mission to the United Nations said so.", "Iran's mission to the United Nations",
     "Iran's mission to the United Nations", "diplomatic_mission"),
    ("Iran's mission to expand its influence in Iraq failed.", "Iran", "Iran", "country"),
    # a peer by title, surname and territory; not an office
    ("Lord Hughes of Ombersley presented the report.", "Lord Hughes of Ombersley", "Lord Hughes of Ombersley",
     "person"),
    ("The Lord Chancellor and Lord Justice Fulford met in London.", "Fulford", "Fulford", "person"),
])
def test_entity_types(text: str, form: str, name: str | None, typ: str) -> None:
    got_name, got_type, _ = entity(run(text), form)
    assert (got_name if name else None, got_type) == (name, typ)


@pytest.mark.parametrize(("text", "name", "alias"), [
    ("The Australian Security Intelligence Organisation (ASIO) warned MPs. ASIO named no one.",
     "Australian Security Intelligence Organisation", "ASIO"),
    ("Dmitri Volkov was arrested in Tallinn. Prosecutors say Volkov reported to Moscow.",
     "Dmitri Volkov", "Volkov"),
    ("The Chinese Consulate in Sydney hosted a dinner. The Consulate declined to comment.",
     "Chinese Consulate in Sydney", "Consulate"),
    ("Canada expelled a diplomat. Ottawa's decision angered Beijing.", "Canada", "Ottawa"),
    ("Italian authorities, among them Italy's Ministry of the Interior, were told.",
     "Ministry of the Interior", "Italy's Ministry of the Interior"),
    ("She was held in Evin prison in Tehran for a year.", "Evin", "Evin prison"),
    ("Mr Justice Hilliard said the six had lied. Hilliard jailed them.", "Hilliard", "Mr Justice Hilliard"),
    ("The Kazakh Ministry of Foreign Affairs summoned the envoy.", "Ministry of Foreign Affairs",
     "Kazakh Ministry of Foreign Affairs"),
    ("The Netherlands' Ministry of Foreign Affairs said so.", "Ministry of Foreign Affairs",
     "Netherlands' Ministry of Foreign Affairs"),
    ("The Eritrean embassy in The Hague collects the tax. She said the embassy in The Hague refused.",
     "Eritrean embassy in The Hague", "embassy in The Hague"),
    ("Lord Hughes of Ombersley chaired the inquiry. Lord Hughes found that the GRU did it.",
     "Lord Hughes of Ombersley", "Lord Hughes"),
    ("The U.S. Department of the Treasury sanctioned the firm. The Treasury said it helped the IRGC.",
     "Treasury Department", "Treasury"),
    # two overlapping forms of one known body are one mention
    ("He acted on the orders of Iran's Ministry of Intelligence and Security.", "Ministry of Intelligence",
     "Iran's Ministry of Intelligence and Security"),
])
def test_alias_linking(text: str, name: str, alias: str) -> None:
    got_name, _, aliases = entity(run(text), alias)
    assert got_name == name and alias in aliases


@pytest.mark.parametrize(("text", "name"), [
    ("In Shenzhen Huayu Science and Technology Co., Ltd. the money moved.",
     "Shenzhen Huayu Science and Technology Co., Ltd."),
    ("Then Individual-1 met the officer.", "Individual-1"),
])
def test_a_sentence_opening_word_is_no_part_of_a_name(text: str, name: str) -> None:
    assert name in {e.name for e in run(text).entities}


def test_forces_against_a_state_are_no_state_body() -> None:
    result = run("The reports are lies spread by anti-China forces, the ministry said.")
    assert not [e for e in result.entities if e.type == "state_body"]


def test_full_names_sharing_a_surname_stay_apart() -> None:
    result = run("Karan Singh met Amrit Singh in Surrey. Police later arrested Amrit Singh.")
    names = {e.name for e in result.entities if e.type == "person"}
    assert {"Karan Singh", "Amrit Singh"} <= names


@pytest.mark.parametrize(("text", "expected"), [
    # active, passive and nominal wording
    ("The Ministry of State Security recruited Elena Petrova in 2019.",
     ("Ministry of State Security", "recruits", "Elena Petrova")),
    ("Elena Petrova was recruited by the Ministry of State Security.",
     ("Ministry of State Security", "recruits", "Elena Petrova")),
    ("The IRGC funded Hezbollah for years.", ("Islamic Revolutionary Guard Corps", "funds", "Hezbollah")),
    ("Tomas Berg received $40,000 from the Kremlin.", ("Russia", "funds", "Tomas Berg")),
    ("The FBI charged Wei Lin with stalking a dissident.",
     ("Federal Bureau of Investigation", "investigates", "Wei Lin")),
    ("Russian interference in Moldova intensified before the vote.", ("Russia", "interferes_in", "Moldova")),
    ("Beijing's attempts to influence Australian politics continued.",
     ("China", "interferes_in", "Australia")),
    ("Ahmad Karimi, a spokesperson for the Iranian foreign ministry, dismissed the report.",
     ("Ahmad Karimi", "affiliated_with", "Iranian Ministry of Foreign Affairs")),
    ("MI5 director general Ken McCallum spoke in London.", ("Ken McCallum", "affiliated_with", "MI5")),
    ("Lena Vogel was an agent of the GRU.", ("Lena Vogel", "affiliated_with", "GRU")),
    ("The senator met with the Chinese Embassy in Canberra twice.",
     ("Chinese Embassy in Canberra", "located_in", "Canberra")),
    ("Investigators say Chinese officials harassed Yusuf Tohti in Istanbul.",
     ("China", "targets", "Yusuf Tohti")),
    # links, places, "behind", lists, hyphenated modifiers, relative clauses, families
    ("Meta removed a network run by the Archimedes Group, a marketing firm based in Tel Aviv.",
     ("Archimedes Group", "located_in", "Tel Aviv")),
    ("Russia was behind the poisoning of Sergei Skripal, British officials said.",
     ("Russia", "targets", "Sergei Skripal")),
    ("The FSB harassed several journalists, including Lena Vogel and Omar Haddad.",
     ("FSB", "targets", "Omar Haddad")),
    ("The Kremlin-backed Voice of Europe paid politicians.", ("Russia", "supports", "Voice of Europe")),
    ("MI5 issued an alert about Christine Lee, who it said was working with the United Front Work "
     "Department.", ("Christine Lee", "affiliated_with", "United Front Work Department")),
    ("Chinese police harassed the family of Wang Jingyu.", ("Chinese police", "targets", "Wang Jingyu")),
    ("CSIS's director, David Vigneault, warned MPs.",
     ("David Vigneault", "affiliated_with", "Canadian Security Intelligence Service")),
    # the parser hangs the name on the body's name, not on the role
    ("A spokesman for Italy's Interior Ministry, Marco Bellini, said the station had been closed.",
     ("Marco Bellini", "affiliated_with", "Italian Interior Ministry")),
    ("Lu Jianwang acted on behalf of the Ministry of Public Security, prosecutors said.",
     ("Ministry of Public Security", "controls", "Lu Jianwang")),
    ("Iran's role in the kidnapping of Jamila Haddad was described by the FBI.",
     ("Iran", "targets", "Jamila Haddad")),
    ("Investigators alleged the involvement of the FSB in the poisoning of Marek Novak.",
     ("FSB", "targets", "Marek Novak")),
    ("Iran's main intelligence agency, the Ministry of Intelligence, recruited Tariq Rahimi.",
     ("Ministry of Intelligence", "recruits", "Tariq Rahimi")),
    ("Russia's military intelligence agency, the GRU, hacked the Democratic National Committee.",
     ("GRU", "targets", "Democratic National Committee")),
    ("Iranian state media harassed Radio Farda journalists in Prague.", ("Iran", "targets", "Radio Farda")),
    ("Prosecutors in Austria charged Egon Weber with spying for Russia.",
     ("Austria", "investigates", "Egon Weber")),
    ("Prosecutors in Austria charged Egon Weber with spying for Russia.",
     ("Egon Weber", "affiliated_with", "Russia")),
    ("Lena Vogel spied for the FSB for six years.", ("Lena Vogel", "affiliated_with", "FSB")),
    ("The Hong Kong police placed bounties on five activists abroad, including Ted Hui.",
     ("Hong Kong Police Force", "targets", "Ted Hui")),
    ("Ted Hui was followed by men working for the Hong Kong government.",
     ("Hong Kong government", "targets", "Ted Hui")),
    ("Dalia Haddad, a target of the Iranian government, spoke in Paris.",
     ("Iran", "targets", "Dalia Haddad")),
    ("Olek Brandt was a victim of the FSB.", ("FSB", "targets", "Olek Brandt")),
    ("The Kremlin sought to sway the vote in favour of Olek Brandt.", ("Russia", "supports", "Olek Brandt")),
    ("Chinese officials lobbied in support of Dalia Haddad.", ("China", "supports", "Dalia Haddad")),
    ("Leaders of the Halifax Chinese Benevolent Association met officials of the Chinese embassy.",
     ("Chinese embassy", "meets", "Halifax Chinese Benevolent Association")),
    ("Tehran's targets included Dalia Haddad.", ("Iran", "targets", "Dalia Haddad")),
])

def test_claims(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in claims(run(text))


def test_linked_by_a_source_is_its_allegation() -> None:
    result = run("The German Foreign Office said it had found a campaign. It attributed the campaign to "
                 "Doppelganger, an operation it linked to Russia.")
    (claim,) = [c for c in result.claims if c.predicate == "affiliated_with" and c.subject == "Doppelganger"]
    assert (claim.object, claim.stance, claim.attributed_to) == ("Russia", "alleged", "German Foreign Office")


def test_arresting_people_accused_of_running_a_station_is_not_running_it() -> None:
    result = run("The FBI arrested two men accused of running a police station in Manhattan.")
    assert not [c for c in result.claims if c.predicate == "controls"]


def test_an_ambassador_to_a_state_is_not_its_official() -> None:
    result = run("Canada's ambassador to China, Dominic Barton, flew home with the two men.")
    assert ("Dominic Barton", "affiliated_with", "China") not in claims(result)


def test_no_claim_without_two_named_ends() -> None:
    assert not run("The agency recruited several people last year.").claims


def test_a_long_state_name_with_a_curly_possessive_names_the_organ() -> None:
    result = run("Proxies of the People’s Republic of China’s intelligence services approached students.")
    (organ,) = result.entities
    assert organ.type == "state_body" and organ.name.startswith("People’s Republic")


def test_document_markings_are_not_entities() -> None:
    result = run("A Top Secret CSIS Intelligence Assessment describes the network.")
    assert [e.name for e in result.entities] == ["Canadian Security Intelligence Service"]


def test_an_ethnic_adjective_is_not_an_entity() -> None:
    result = run("Chinese police threatened the relatives of Uyghur activist Rahima Tursun.")
    assert [e.name for e in result.entities if "Uyghur" in e.name] == []
    assert ("Chinese police", "targets", "Rahima Tursun") in claims(result)


@pytest.mark.parametrize(("text", "stance", "attributed"), [
    ("The IRGC funded Hezbollah for years.", "asserted", None),
    ("The IRGC reportedly funded Hezbollah.", "alleged", None),
    ("Reuters reported that the IRGC funded Hezbollah.", "alleged", "Reuters"),
    ("According to Amnesty International, the IRGC funded Hezbollah.", "alleged", "Amnesty International"),
    ("Iran denied that the IRGC funded Hezbollah.", "denied", "Iran"),
    ("The IRGC did not fund Hezbollah.", "denied", None),
    ("Mossad found no evidence that the IRGC funded Hezbollah.", "denied", "Mossad"),
    ("Experts doubt that the IRGC funded Hezbollah.", "alleged", None),
    ("The IRGC funded Hezbollah, according to intelligence sources.", "alleged", None),
    ("Investigators are examining whether the IRGC funded Hezbollah.", "alleged", None),
    ("In May 2024 the IRGC funded Hezbollah.", "asserted", None),
])
def test_stance_and_attribution(text: str, stance: str, attributed: str | None) -> None:
    (claim,) = [c for c in run(text).claims if c.predicate == "funds"]
    assert (claim.stance, claim.attributed_to) == (stance, attributed)


@pytest.mark.parametrize("text", [
    "New Delhi denied that Indian agents were involved in the killing of Hardeep Singh Nijjar.",
    "New Delhi denied any involvement in the killing of Hardeep Singh Nijjar.",
    "New Delhi has rejected a role in the killing of Hardeep Singh Nijjar.",
])
def test_denied_involvement(text: str) -> None:
    (claim,) = [c for c in run(text).claims if c.predicate == "targets"]
    assert (claim.subject, claim.object, claim.stance, claim.attributed_to) == (
        "India", "Hardeep Singh Nijjar", "denied", "India")


def test_denying_any_wrongdoing_is_not_a_denial_of_the_claim() -> None:
    result = run("Olek Brandt, who the FSB recruited in 2019, denied any wrongdoing.")
    (claim,) = [c for c in result.claims if c.predicate == "recruits"]
    assert claim.stance != "denied"


def test_a_question_asserts_nothing() -> None:
    (claim,) = [c for c in run("Did the FSB recruit Olga Ivanova?").claims if c.predicate == "recruits"]
    assert claim.stance == "alleged"


def test_anaphoric_denial_by_the_accused() -> None:
    result = run("The FSB harassed Olga Ivanova in Riga. The FSB denied the allegations.")
    (claim,) = [c for c in result.claims if c.predicate == "targets"]
    assert claim.stance == "denied" and claim.attributed_to == "FSB"


@pytest.mark.parametrize(("text", "predicate", "tactic"), [
    ("The FSB harassed Olga Ivanova in Riga.", "targets", "intimidation"),
    ("The GRU spread disinformation to discredit Olga Ivanova.", "targets", "disinformation"),
    ("Chinese police pressured Li Ming to return to China.", "targets", "forced_return"),
    ("The RCMP investigated Li Ming.", "investigates", "countermeasure"),
    ("The Kremlin funded Voice of Europe.", "funds", "covert_funding"),
])
def test_tactics(text: str, predicate: str, tactic: str) -> None:
    found = [c for c in run(text).claims if c.predicate == predicate]
    assert found and found[0].tactic == tactic


def test_evidence_and_offsets_index_the_text() -> None:
    text = "Headline without a stop\nThe Kremlin paid $2 million to Voice of Europe in March 2024."
    result = run(text)
    (claim,) = [c for c in result.claims if c.predicate == "funds"]
    assert claim.evidence is not None
    assert text[claim.evidence.start:claim.evidence.end].strip() == claim.evidence.text
    assert claim.evidence.text.startswith("The Kremlin")  # the headline is its own sentence
    assert claim.amount == "$2 million" and claim.date == "March 2024"
    for e in result.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
