"""Event status from the cue families of data/status_cues.tsv: each family on real-looking sentences between
two countries, with the cue that set the status named in `status_cue`."""
from __future__ import annotations

import pytest


@pytest.fixture
def code(code_events):
    return lambda text, published="2021-04-07": code_events(text, published)


def pair(m) -> tuple[str, str]:
    return tuple(sorted((m.actor1[:3], m.actor2[:3])))


def event(mentions, cameo: str, trigger: str | None = None):
    """The mention whose code starts with `cameo` (and whose trigger is `trigger`, if given)."""
    hits = [m for m in mentions if m.cameo.startswith(cameo) and (trigger is None or m.trigger == trigger)]
    assert hits, f"no {cameo} event in {[(m.cameo, m.actor1, m.actor2, m.trigger, m.status) for m in mentions]}"
    return hits[0]


def check(mentions, cameo: str, status: str, cue: str, countries: tuple[str, str], trigger: str | None = None):
    m = event(mentions, cameo, trigger)
    assert (m.status, m.status_cue) == (status, cue), (m.cameo, m.trigger, m.status, m.status_cue)
    assert pair(m) == tuple(sorted(countries))
    return m


# -- future auxiliaries: planned

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Russia will sign an energy agreement with Pakistan.", "057", "will", ("RUS", "PAK")),
    ("China shall provide loans to Pakistan under the new framework.", "07", "shall", ("CHN", "PAK")),
    ("Russian President Vladimir Putin arrived in Moscow on Monday. He'll visit India next month.", "042", "'ll",
     ("RUS", "IND")),
])
def test_future_auxiliary_is_planned(code, text, cameo, cue, countries):
    check(code(text), cameo, "planned", cue, countries)


# -- modals: possible

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Russia may sell helicopters to Pakistan.", "061", "may", ("RUS", "PAK")),
    ("President Putin might visit India next year.", "042", "might", ("RUS", "IND")),
    ("Japan could offer aid to Vietnam.", "03", "could", ("JPN", "VNM")),
    ("The United States could impose sanctions on Russia.", "163", "could", ("USA", "RUS")),
    ("Russia would supply gas to Pakistan.", "061", "would", ("RUS", "PAK")),
])
def test_modal_is_possible(code, text, cameo, cue, countries):
    check(code(text), cameo, "possible", cue, countries)


# -- negation: negated

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Pakistan did not sign the agreement with Russia.", "057", "not", ("PAK", "RUS")),
    ("India didn't attack Pakistani posts on Monday.", "190", "n't", ("IND", "PAK")),
    ("President Putin has never visited Pakistan.", "042", "never", ("RUS", "PAK")),
    ("India and Pakistan held no talks on Kashmir last year.", "040", "no", ("IND", "PAK")),
    ("India and Pakistan signed no agreement on water sharing.", "057", "no", ("IND", "PAK")),
    ("India will not attack Pakistan, the defence minister said.", "190", "not", ("IND", "PAK")),
])
def test_negation_is_negated(code, text, cameo, cue, countries):
    check(code(text), cameo, "negated", cue, countries)


# -- governors of plans and schedules: planned

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Russia plans to build a gas pipeline in Pakistan.", "061", "plans", ("RUS", "PAK")),
    ("Russian foreign minister Sergey Lavrov is scheduled to visit Islamabad next week.", "042", "scheduled",
     ("RUS", "PAK")),
    ("Russia and Pakistan are slated to establish a military cooperation commission.", "050", "slated",
     ("RUS", "PAK")),
    ("The gas pipeline is due to be built by Russia in Pakistan.", "061", "due", ("RUS", "PAK")),
    ("Pakistan is expected to sign an agreement with Russia.", "057", "expected", ("PAK", "RUS")),
    ("President Putin is set to visit India in December.", "042", "set", ("RUS", "IND")),
    ("Lavrov is to meet Pakistani Prime Minister Imran Khan on Wednesday.", "04", "is to", ("RUS", "PAK")),
])
def test_plan_governor_is_planned(code, text, cameo, cue, countries):
    check(code(text), cameo, "planned", cue, countries)


# -- governors of possibility: possible

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Pakistan is considering a visit to Russia.", "042", "considering", ("PAK", "RUS")),
    ("Russia is exploring the sale of helicopters to Pakistan.", "061", "exploring", ("RUS", "PAK")),
    ("There are chances of a visit by Russian President Vladimir Putin to Pakistan this year.", "042", "chances",
     ("RUS", "PAK")),
    ("President Putin is likely to visit Pakistan.", "042", "likely", ("RUS", "PAK")),
    ("Russia is unlikely to sell arms to Pakistan.", "061", "unlikely", ("RUS", "PAK")),
])
def test_possibility_governor_is_possible(code, text, cameo, cue, countries):
    check(code(text), cameo, "possible", cue, countries)


@pytest.mark.parametrize("text, cue", [
    ("Pakistan urged India to resume talks on Kashmir.", "urged"),
    ("Pakistan called on India to resume talks on Kashmir.", "called"),
])
def test_an_appeal_keeps_its_own_event_and_makes_the_request_possible(code, text, cue):
    ms = code(text)
    check(ms, "020", "occurred", "", ("PAK", "IND"))
    talks = check(ms, "040", "possible", cue, ("PAK", "IND"))
    assert talks.actor1 == "IND"  # the one asked to act is its doer


def test_a_wish_for_another_partys_act_is_possible(code):
    m = check(code("Obama wants Putin to attack Switzerland."), "190", "possible", "wants", ("RUS", "CHE"))
    assert m.actor1.startswith("RUS")


def test_the_purpose_of_a_planned_meeting_is_planned_too(code):
    ms = code("Barack Obama and Vladimir Putin will meet in Zurich to discuss trade.")
    assert {m.status for m in ms} == {"planned"}
    ms = code("Lavrov visited Islamabad to discuss energy cooperation.")
    assert {m.status for m in ms} == {"occurred"}


@pytest.mark.parametrize("text, cameo, countries", [
    ("The Australian government is about to restore diplomatic ties with Libya.", "054", ("AUS", "LBY")),
    ("Lavrov is to meet his Pakistani counterpart in Islamabad.", "04", ("RUS", "PAK")),
])
def test_is_to_and_is_about_to_are_planned(code, text, cameo, countries):
    check(code(text), cameo, "planned", "is to", countries)


def test_exploring_an_event_noun_takes_the_explorer_as_doer(code):
    check(code("Russia is exploring energy deals with Pakistan."), "061", "possible", "exploring", ("RUS", "PAK"))


# -- governors of intent: the act becomes an expression of intent (CAMEO 03) that occurred

@pytest.mark.parametrize("text, cameo, countries", [
    ("Russia is looking to sell arms to Pakistan.", "031", ("RUS", "PAK")),
    ("President Putin wants to visit Pakistan.", "036", ("RUS", "PAK")),
    ("China is interested in buying Russian gas.", "031", ("CHN", "RUS")),
])
def test_intent_governor_makes_an_intent_that_occurred(code, text, cameo, countries):
    m = check(code(text), cameo, "occurred", "intent", countries)
    assert m.cameo == cameo


@pytest.mark.parametrize("text", [
    "Russia wants to expand cooperation with Pakistan.",
    "Russia seeks to expand ties with Pakistan.",
    "Russia hopes to improve relations with Pakistan.",
])
def test_intent_governor_leaves_an_intent_act_occurred(code, text):
    m = event(code(text), "030")
    assert (m.status, m.status_cue) == ("occurred", "")
    assert pair(m) == ("PAK", "RUS")


# -- governors of denial: negated

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Pakistan denied signing the agreement with Russia.", "057", "denied", ("PAK", "RUS")),
    ("India and Pakistan failed to agree on a ceasefire.", "057", "failed", ("IND", "PAK")),
    ("President Putin cancelled his visit to Pakistan.", "042", "cancelled", ("RUS", "PAK")),
    ("Pakistan ruled out talks with India.", "040", "ruled", ("PAK", "IND")),
])
def test_denial_governor_is_negated(code, text, cameo, cue, countries):
    check(code(text), cameo, "negated", cue, countries)


# -- refusals of cooperation: CAMEO codes them as rejections (12), which did occur

@pytest.mark.parametrize("text, cameo, cue, countries", [
    ("Pakistan refused to meet the Russian delegation.", "125", "refused", ("PAK", "RUS")),
    ("Russia said it would not provide military aid to Pakistan.", "122", "not", ("PAK", "RUS")),
    ("India will not sign the trade agreement with China.", "120", "not", ("CHN", "IND")),
])
def test_refusing_a_cooperative_act_is_a_rejection(code, text, cameo, cue, countries):
    check(code(text), cameo, "occurred", cue, countries)


def test_an_act_that_did_not_happen_stays_negated(code):
    check(code("Pakistan did not sign the agreement with Russia."), "057", "negated", "not", ("PAK", "RUS"))


# -- modifiers of event nouns

@pytest.mark.parametrize("text, cameo, status, cue, countries", [
    ("Officials confirmed Russia's potential arms deal with Pakistan.", "061", "possible", "potential",
     ("RUS", "PAK")),
    ("Putin's upcoming visit to India was announced on Monday.", "042", "planned", "upcoming", ("RUS", "IND")),
    ("Officials confirmed the proposed sale of helicopters by Russia to Pakistan.", "061", "possible", "proposed",
     ("RUS", "PAK")),
])
def test_modifier_of_an_event_noun(code, text, cameo, status, cue, countries):
    check(code(text), cameo, status, cue, countries)


def test_a_participle_on_an_event_noun_is_a_modifier_not_an_act(code):
    ms = code("Preparations are under way for Putin's planned visit to India.")
    check(ms, "042", "planned", "planned", ("RUS", "IND"))
    assert not [m for m in ms if m.cameo.startswith("03")]


# -- conditionals: the event of the condition is possible

@pytest.mark.parametrize("text, cue", [
    ("If Pakistan and Russia agree on the price, Russia will supply gas to Pakistan.", "If"),
    ("Russia will supply gas to Pakistan if the two countries agree on a price.", "if"),
])
def test_condition_is_possible(code, text, cue):
    check(code(text), "03", "possible", cue, ("PAK", "RUS"), trigger="agree")


# -- plain past and present: occurred

@pytest.mark.parametrize("text, cameo, countries", [
    ("Russia signed an agreement with Pakistan on Monday.", "057", ("RUS", "PAK")),
    ("Russia supplied gas to Pakistan last year.", "061", ("RUS", "PAK")),
    ("Russia supplies gas to Pakistan.", "061", ("RUS", "PAK")),
    ("Russia has supplied gas to Pakistan.", "061", ("RUS", "PAK")),
    ("Pakistan called for talks with India.", "020", ("PAK", "IND")),
])
def test_plain_past_and_present_occurred(code, text, cameo, countries):
    check(code(text), cameo, "occurred", "", countries)


# -- reported speech keeps its own status

def test_reported_future_is_planned(code):
    m = event(code("Russia said on Monday that Lavrov will visit Pakistan next week."), "0", trigger="visit")
    assert (m.status, m.status_cue) == ("planned", "will") and pair(m) == ("PAK", "RUS")


def test_reported_past_occurred(code):
    m = event(code("Russia said Lavrov visited Pakistan last week."), "042")
    assert (m.status, m.status_cue) == ("occurred", "") and pair(m) == ("PAK", "RUS")


@pytest.mark.parametrize("text, status, cue", [
    ("Russia said on Monday it will sign an agreement with Pakistan.", "planned", "will"),
    ("Russia said it signed an agreement with Pakistan.", "occurred", ""),
])
def test_reported_speech_with_it(code, text, status, cue):
    m = event(code(text), "0", trigger="sign" if status == "planned" else "signed")
    assert (m.status, m.status_cue) == (status, cue) and pair(m) == ("PAK", "RUS")
