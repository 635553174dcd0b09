"""How entities get their type: the words in and around a name (nouns in apposition, roles, ages,
given names), on sentences written for these tests (the real spaCy model, as in test_pipeline.py)."""

from __future__ import annotations

import pytest
from extraction_helpers import find, run

from frontwatch.vocab import load_vocabulary


@pytest.mark.parametrize(("text", "form", "typ"), [
    ("US authorities said the server was seized.", "US authorities", "country"),
    # prosecutors and courts named by their state's demonym are the state (as the dev corpus annotates)
    ("Swedish prosecutors charged two teenagers with the attack.", "Swedish prosecutors", "country"),
    ("The ruling was upheld by U.S. courts last year.", "U.S. courts", "country"),
    ("The Permanent Electoral Authority fined the party twice.", "Permanent Electoral Authority",
     "state_body"),
    # a demonym that is also a language's name still names the state's organ
    ("Assadi had been arrested by German police in Bavaria.", "German police", "state_body"),
    ("He was questioned by French police on Monday.", "French police", "state_body"),
    ("The attack was ordered by Russian state authorities, the court found.", "Russian state authorities",
     "country"),
    # "X" alone is the platform where another platform is named
    ("The network moved to X and to Facebook. X suspended 400 of its accounts.", "X", "organization"),
    ("He was stopped at Jorge Chávez International Airport on Sunday.", "Jorge Chávez International Airport",
     "place"),
    # a mission named by its state
    ("Two attachés of the Embassy of Iran in Lisbon were expelled.", "Embassy of Iran in Lisbon",
     "diplomatic_mission"),
    ("The Consulate General of Eritrea in Calgary collected the levy.",
     "Consulate General of Eritrea in Calgary", "diplomatic_mission"),
    ("The Embassy of the Kingdom of Bahrain in Dublin declined to comment.",
     "Embassy of the Kingdom of Bahrain in Dublin", "diplomatic_mission"),
    ("The North Korean Embassy in Jakarta issued a statement.", "North Korean Embassy in Jakarta",
     "diplomatic_mission"),
    # datelines and credits
    ("VANCOUVER (Reuters) - Police charged a man with harassing a journalist.", "Vancouver", "place"),
    ("THE HAGUE, May 3 (AP) - The court adjourned the case.", "The Hague", "place"),
    ("WASHINGTON — The FBI arrested two men on Monday.", "Washington", "place"),
    ("NEW YORK (AP) - Prosecutors charged a man.", "Associated Press", "organization"),
    ("Police outside the consulate in Frankfurt. (dpa)\nThe ministry denied it.", "dpa", "organization"),
    ("The ministry in Brussels, file picture. Credit: Belga / Tom Janssens\nThe ministry said so.", "Belga",
     "organization"),
    # "AFP" credits a photo or a wire story as the news agency, and is the Australian Federal Police
    # elsewhere
    ("Photo: A tower in Abu Dhabi. (Karim Sahib/AFP)\nThe firm denied it.", "Agence France-Presse",
     "organization"),
    ("Photo: The plane in Vilnius. Credit: AFP\nThe airline denied it.", "Agence France-Presse",
     "organization"),
    ("Officers at the site of a shooting in Sialkot. (AFP)\nPolice said so.", "Agence France-Presse",
     "organization"),
    ("PARIS (AFP) - France expelled a diplomat.", "Agence France-Presse", "organization"),
    ("The AFP said it had charged a man with foreign interference.", "Australian Federal Police",
     "state_body"),
    ("The Australian Federal Police (AFP) charged a man in Sydney.", "Australian Federal Police",
     "state_body"),
    # a person's surname alone is that person, where the NER reads it as a place
    ("Canada widens Nijjar probe\n\nPolice tied agents to the killing of the activist Hardeep Singh Nijjar. "
     "Nijjar, 45, was shot dead in Surrey.", "Nijjar", "person"),
    ("After years of pressure from Marina Litvinenko, the government ordered a public inquiry. Litvinenko "
     "said she was relieved.", "Marina Litvinenko", "person"),
    # "general" after a body's head noun leaves the head deciding
    ("For years France's Directorate General for Territorial Surveillance watched him.",
     "Directorate General for Territorial Surveillance", "state_body"),
    # a name ending in a body's noun is no person, whatever given name it starts with
    ("Ankara calls the movement the Fethullah Terrorist Organization and blames it for the coup.",
     "Fethullah Terrorist Organization", "organization"),
    # two words joined by a Persian or Arabic particle are one organisation's name
    ("Police said the attack was claimed by Jaish-e-Mohammed, a group based in Pakistan.",
     "Jaish-e-Mohammed", "organization"),
    ("Indian officials blamed Lashkar-e-Taiba for the raid.", "Lashkar-e-Taiba", "organization"),
    ("Members of Hizb-ut-Tahrir handed out leaflets outside the mosque.", "Hizb-ut-Tahrir", "organization"),
    ("The Ministry of Defence monitored the Tehrik-i-Taliban for years.", "Tehrik-i-Taliban", "organization"),
])
def test_names_get_their_type(text: str, form: str, typ: str) -> None:
    e = find(run(text), form)
    assert e is not None and e.type == typ


@pytest.mark.parametrize(("text", "form", "typ"), [
    # a noun in apposition types the name
    ("The ban grounded Veltavia, Moldova's national airline, for a year.", "Veltavia", "organization"),
    # over a first word that is also a given name ("Fair")
    ("Fair Trials, a London-based rights group, has documented dozens of similar cases involving Russia.",
     "Fair Trials", "organization"),
    ("He grew up in Kfar Dorit, a commuter town near the coast, before moving abroad.", "Kfar Dorit",
     "place"),
    ("The case rested on the testimony of Dragan Miletić, a Serbian nationalist who turned witness.",
     "Dragan Miletić", "person"),
    # a party or consultancy in apposition, where the NER reads a place and a surname or a person
    ("Vlaams Belang, the Flemish far-right party, said it had expelled Frank Creyelman.", "Vlaams Belang",
     "organization"),
    ("His team had worked alongside Cambridge Analytica, the now-defunct British political consultancy.",
     "Cambridge Analytica", "organization"),
    ("Milan Knežević, the party leader, denied it.", "Milan Knežević", "person"),
    # a place does not cut short the name of a body it starts
    ("Sajid Hussain, the editor of the Balochistan Times, was found dead.", "Balochistan Times",
     "organization"),
    ("In Canada, the Toronto District School Board voted to end the partnership.",
     "Toronto District School Board", "organization"),
    # a lower-case noun for a body before a name the NER reads as a place
    ("The sanctions hit the state airline Belavia and the air navigation agency Belaeronavigatsia.",
     "Belaeronavigatsia", "organization"),
    # a state organ's head noun wins over a place reading
    ("A former commander of Serbia's Gendarmerie received eight years.", "Gendarmerie", "state_body"),
    # an unknown one-word name before a company role is a company
    ("Lin Tao, the Quantrex founder, denied the report.", "Quantrex", "organization"),
    # names with inner capitals are people too
    ("Presenting the report, the group's executive director, Maeve McCardle, said the threats grew.",
     "Maeve McCardle", "person"),
])
def test_the_words_beside_a_name_type_it(text: str, form: str, typ: str) -> None:
    e = find(run(text), form)
    assert e is not None and e.type == typ


@pytest.mark.parametrize(("text", "form"), [
    ("Toravandi, 41, had worked for the ministry before he fled.", "Toravandi"),
    ("Police charged three men - Kiran Dhal, 23, Amar Sohal, 24, and Jas Mann, 27 - with murder.",
     "Kiran Dhal"),
    ("In 2022 Rashid Qamar, 49, a television anchor who had fled, was shot dead.", "Rashid Qamar"),
    # names the statistical NER leaves out (or reads as a date or a title), in apposition with a role
    ("\"The defendants acted at the direction of the PRC government,\" Breon Peace, the U.S. attorney in "
     "Brooklyn, said in a statement.", "Breon Peace"),
    ("Its spokesperson, Randhir Jaiswal, described them as speculative.", "Randhir Jaiswal"),
    ("March 2024 - Judith Collins, the minister responsible for the bureau, says it was linked to APT40.",
     "Judith Collins"),
    # the NER read only the surname as a person
    ("Irungu Houghton, the executive director of Amnesty International Kenya, said the government owed "
     "the public an account.", "Irungu Houghton"),
    # an occupation in apposition, over a reading as a work of art or a place the gazetteer does not know
    ("The case centred on Ng Lap Seng, a billionaire developer from Macau, whom a jury convicted in 2017.",
     "Ng Lap Seng"),
    ("In March 2024 Pouria Zeraati, a presenter with the channel, was stabbed in the leg outside his home.",
     "Pouria Zeraati"),
])
def test_a_name_with_an_age_or_a_role_in_apposition_is_a_person(text: str, form: str) -> None:
    result = run(text)
    e = find(result, form)
    assert e is not None and e.type == "person", [(x.name, x.type) for x in result.entities]


@pytest.mark.parametrize(("text", "form"), [
    # a name in capitals that is also an English word: the tagger reads an adjective, the NER nothing
    ("The ministry hired SOLEMN, a political marketing firm in Tel Aviv, to run the pages.", "SOLEMN"),
    ("The embassy paid CANDID, a digital agency, to place the stories.", "CANDID"),
    # the kind before the name
    ("He is a trader whose commodity trading company, Lord Energy, was based in Lugano.", "Lord Energy"),
])
def test_a_name_in_apposition_with_a_kind_of_organisation_is_an_organisation(text: str, form: str) -> None:
    result = run(text)
    e = find(result, form)
    assert e is not None and e.type == "organization", [(x.name, x.type) for x in result.entities]


def test_a_described_name_is_a_mention_wherever_the_document_writes_it() -> None:
    text = ("The ministry hired SOLEMN, a political marketing firm, to run the pages. Investigators tied the "
            "pages to SOLEMN. SOLEMN denied any role.")
    e = find(run(text), "SOLEMN")
    assert e is not None and len(e.mentions) == 3


@pytest.mark.parametrize("text", [
    "The protest took place on Tuesday, a day before the vote, outside the consulate.",
    "Reporters asked TODAY, a question they had asked before.",
    "The platform removed 265 accounts, Pages, Groups and events.",
])
def test_a_word_before_an_apposition_is_no_name_without_a_kind_of_organisation(text: str) -> None:
    assert run(text).entities == []


@pytest.mark.parametrize(("text", "form"), [
    ("The report was written by Marta Echeverría and reviewed by the board.", "Marta Echeverría"),
    ("Karim Haddadi told the court that he had been followed for months.", "Karim Haddadi"),
    ("The case of Marie-Claire Dubois, a lecturer in politics at the University of Geneva, changed that.",
     "Marie-Claire Dubois"),
])
def test_a_name_that_starts_with_a_given_name_is_a_person(text: str, form: str) -> None:
    e = find(run(text), form)
    assert e is not None and e.type == "person"


def test_a_given_name_the_ner_left_out_joins_the_surname() -> None:
    result = run("In Ankara, the head of the religious affairs directorate, Mehmet Görmez, denied that imams "
                 "had spied.")
    assert [x.name for x in result.entities if x.type == "person"] == ["Mehmet Görmez"]


def test_a_noun_for_a_person_before_a_full_name_stays_out_of_it() -> None:
    result = run("The former US Marine Paul Whelan was jailed.")
    assert [x.name for x in result.entities if x.type == "person"] == ["Paul Whelan"]


@pytest.mark.parametrize(("text", "form", "typ"), [
    ("The regime's two main targets abroad have been Group 24 and the Islamic Renaissance Party.", "Group 24",
     "organization"),
    ("Officers of Lahav 433, the police's serious crimes unit, arrested the seven.", "Lahav 433",
     "organization"),
    ("Flames destroyed the Marywilska 44 shopping centre in May.", "Marywilska 44", "place"),
])
def test_a_name_that_ends_in_a_number_is_one_name(text: str, form: str, typ: str) -> None:
    result = run(text)
    e = find(result, form)
    assert e is not None and e.type == typ, [(x.name, x.type) for x in result.entities]


@pytest.mark.parametrize(("text", "word"), [
    ("He flew there on a Boeing 737 in Spring 2024.", "737"),
    ("The ministry said Wang Lei had called Li 42 times.", "42"),
])
def test_a_count_or_a_product_number_joins_no_name(text: str, word: str) -> None:
    assert all(word not in x.name for x in run(text).entities)


def test_a_pronoun_s_word_inside_a_sentence_can_be_a_surname() -> None:
    result = run("The claims come from a film in which She Zhijiang, a gambling tycoon held in Thailand, "
                 "said he had worked for the Ministry of State Security. She denied it.")
    e = find(result, "She Zhijiang")
    assert e is not None and e.type == "person", [(x.name, x.type) for x in result.entities]
    assert find(result, "She") is None


@pytest.mark.parametrize(("text", "form"), [
    ("The Minister for Population, Cities and Urban Infrastructure spoke.", "Urban Infrastructure"),
    ("They moved to the San Francisco Bay Area in 2011.", "Bay Area"),
    ("His friend Nii Kojo Mensah started the fire.", "Kojo Mensah"),
    ("Thai Lawyers for Human Rights counted the cases.", "Thai Lawyers"),
    ("The Dutch foreign minister told parliament.", "The Dutch"),
    ("In 1994 hundreds sheltered at the Hôtel des Mille Collines in Kigali.", "Mille Collines"),
])
def test_a_given_name_inside_another_name_makes_no_person(text: str, form: str) -> None:
    e = find(run(text), form)
    assert e is None or e.type != "person"


@pytest.mark.parametrize(("text", "form"), [
    ("Attorney General Lisa Monaco announced the charges.", "Lisa Monaco"),
    ("A fire broke out inside the plant.\nRelated: Hybrid warfare | Inside Germany's ammunition drive",
     "Inside Germany"),
    ("In October Lithuania expelled two diplomats.", "October Lithuania"),
])
def test_a_state_after_a_word_of_no_name_stays_apart(text: str, form: str) -> None:
    e = find(run(text), form)
    assert e is None or e.type != "organization"


def test_a_given_name_does_not_make_a_hotel_a_person() -> None:
    e = find(run("The guests were taken to the Michelangelo Hotel on Tuesday."), "Michelangelo Hotel")
    assert e is not None and e.type != "person"


def test_a_person_of_a_body_read_as_one_name_is_both() -> None:
    result = run("Chief Inspector Laura Hendry of Thames Valley Police led the search.")
    person, body = find(result, "Laura Hendry"), find(result, "Thames Valley Police")
    assert person is not None and person.type == "person"
    assert body is not None and body.type == "state_body"
    assert find(run("The Bank of England and the University of Chicago agreed."), "Bank of England")


def test_credit_names_point_at_news_agencies_of_the_gazetteer() -> None:
    vocab = load_vocabulary()
    entries = {e.id: e for e in vocab.entries}
    credits = vocab.types["credit_names"]
    assert credits, "types.yaml lists the credit names"
    for form, gid in credits.items():
        assert gid in entries and entries[gid].type == "organization", (form, gid)
