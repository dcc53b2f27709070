"""The clean stage: headline, dates, outlet, byline and dateline found, page furniture gone, body kept.

On the five seeds the figures of the gold scorer (shared/gold/score.py, `score_articles`) must reach the
project's thresholds; on made-up pages of other layouts the same rules must hold.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from bilat.clean import (LINE_KINDS, Rule, Rules, article_id_for, clean, explain, find_dates, load_rules,
                         looks_like_names, parse_date, read_meta_line)
from bilat.model import Article, Document


def make_doc(text: str, source: str = "page.txt", media_type: str = "text/plain", **metadata: str) -> Document:
    raw = text.encode("utf-8")
    return Document(source=source, content=text, media_type=media_type,
                    content_hash=hashlib.sha256(raw).hexdigest(), metadata=dict(metadata))


def norm(text: str | None) -> str:
    """As the gold scorer normalises text."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n") if article.text else []


# --- the seeds, scored as the gold scorer does ----------------------------------------------------------


@pytest.fixture(scope="module")
def seed_results(sample_dir: Path, gold_path: Path) -> list[tuple[dict, Article, list[str]]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out = []
    for g in gold["articles"]:
        path = sample_dir / g["file"]
        raw = path.read_bytes()
        doc = Document(source=g["file"], content=raw.decode("utf-8"), media_type="text/plain",
                       content_hash=hashlib.sha256(raw).hexdigest(), path=str(path))
        out.append((g, clean(doc), raw.decode("utf-8").splitlines()))
    return out


def score_articles(results: list[tuple[dict, Article, list[str]]]) -> dict[str, float]:
    """The article figures of shared/gold/score.py (`score_articles`), on Article objects."""
    n = titles = published = outlet = removed = furniture = kept = content = 0
    for g, a, lines in results:
        n += 1
        titles += norm(a.title) == norm(g["title"])
        published += (a.published or None) == g["published"] or (g["published"] is None
                                                                   and a.published_confidence == "low")
        outlet += norm(a.outlet or "") == norm(g.get("outlet") or "")
        body = norm(a.text)
        skip = set(g.get("summary_lines", [])) | set(g.get("subheading_lines", []))
        title_norm = norm(g["title"])
        for i, line in enumerate(lines, 1):
            t = norm(line)
            if not t or i in skip:
                continue
            if i in g["boilerplate_lines"]:
                if t == title_norm:
                    continue
                furniture += 1
                removed += t not in body
            elif t != title_norm:
                content += 1
                kept += t in body
    return {"title": titles / n, "published": published / n, "outlet": outlet / n,
            "boilerplate_removed": removed / max(1, furniture), "content_kept": kept / max(1, content)}


def test_seed_figures_reach_the_thresholds(seed_results):
    figures = score_articles(seed_results)
    assert figures["title"] == 1.0
    assert figures["published"] == 1.0
    assert figures["outlet"] == 1.0
    assert figures["boilerplate_removed"] >= 0.95
    assert figures["content_kept"] >= 0.98


def test_seed_byline_and_dateline_match_the_gold(seed_results):
    for g, a, _ in seed_results:
        if g.get("byline"):
            assert a.byline == g["byline"], g["file"]
        if g.get("dateline"):
            assert a.dateline == g["dateline"], g["file"]


def test_date_widget_above_the_headline_is_not_the_publication_date(seed_results):
    g, a, _ = next(r for r in seed_results if r[0]["file"].startswith("002"))
    assert a.published is None and a.published_confidence == "low"
    assert a.page_date == g["page_date"] == "2023-12-02"
    assert any("widget" in note for note in a.notes)


def test_labelled_date_is_high_and_supported_by_caption_and_dateline(seed_results):
    by_key = {g["file"][:3]: a for g, a, _ in seed_results}
    assert (by_key["001"].published, by_key["001"].published_confidence) == ("2021-04-07", "high")
    assert any("caption" in note for note in by_key["001"].notes)
    assert (by_key["004"].published, by_key["004"].published_confidence) == ("2023-06-13", "high")
    assert any("dateline" in note and "agrees" in note for note in by_key["004"].notes)


def test_seed_body_lines_are_kept_verbatim_as_paragraphs(seed_results):
    g, a, lines = next(r for r in seed_results if r[0]["file"].startswith("004"))
    assert paragraphs(a)[0] == lines[11]  # the dateline paragraph, whole; its teaser copy (line 8) is gone
    assert "carrying ..." not in a.text
    assert "Disclaimer" not in a.text and "Related Stories" not in a.text


def test_agency_cited_in_the_text_or_in_a_photo_credit_is_not_the_outlet(seed_results):
    by_key = {g["file"][:3]: a for g, a, _ in seed_results}
    assert by_key["000"].outlet is None  # "As reported by TASS"
    assert by_key["001"].outlet is None  # "(AFP)" closes a photo caption


# --- pages of other layouts -----------------------------------------------------------------------------

WIRE = """World
Business
Markets

U.S. and Japan agree to tighten chip export controls

By Jane Doe and John Roe

June 5, 2024 / 4:12 PM / Updated 2 hours ago

WASHINGTON (Reuters) - The United States and Japan agreed on Wednesday to tighten controls on exports of advanced chip-making tools to China, officials from both countries said.

The agreement follows months of talks between Washington and Tokyo, and brings Japan's rules closer to those the U.S. imposed in October 2022.

Advertisement · Scroll to continue

"We are aligned on the need to protect our technology," a senior U.S. official told reporters on condition of anonymity.

Japan's trade ministry said the new rules would take effect in July and would cover 23 types of equipment.

Reporting by Jane Doe in Washington and John Roe in Tokyo; Editing by Mark Smith

Our Standards: The Thomson Reuters Trust Principles.
"""


def test_wire_story_with_dateline_agency_and_reporting_tail():
    a = clean(make_doc(WIRE))
    assert a.title == "U.S. and Japan agree to tighten chip export controls"
    assert (a.published, a.published_confidence) == ("2024-06-05", "high")
    assert a.outlet == "Reuters"
    assert a.byline == "Jane Doe and John Roe"
    assert a.dateline == "WASHINGTON"
    body = paragraphs(a)
    assert body[0].startswith("WASHINGTON (Reuters) - The United States")
    assert len(body) == 4
    for furniture in ("World", "Markets", "Advertisement", "Reporting by", "Our Standards", "Updated 2 hours"):
        assert furniture not in a.text


BLOG = """Skip to content
Home » World » Europe
Baltic Review

Estonia and Finland open new undersea power cable

Posted on 3 March 2022 by Kadri Tamm

Share this:
Twitter
Facebook
WhatsApp

TALLINN — Estonia and Finland switched on a second undersea power cable on Thursday, doubling the capacity of the link between the two grids.

The 170-kilometre line, which cost about 300 million euros, was financed in part by the European Union.

Background

Related Articles
Latvia signs gas deal with Lithuania
Poland and Lithuania finish rail link

Estonia has been trying to reduce its dependence on electricity imports from Russia since 2014, and the new cable is part of that effort.

"This is a great day for energy security in the region," Estonia's economy minister said at the ceremony.

Like this:
Like Loading...

You may also like
Latvia signs gas deal with Lithuania
Poland and Lithuania finish rail link
Finland joins NATO air policing mission over the Baltic states

Leave a Reply

We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.
Accept
Privacy Policy
"""


def test_blog_page_with_breadcrumb_share_links_related_box_and_cookie_notice():
    a = clean(make_doc(BLOG))
    assert a.title == "Estonia and Finland open new undersea power cable"
    assert (a.published, a.published_confidence) == ("2022-03-03", "high")
    assert a.byline == "Kadri Tamm"
    assert a.outlet is None
    assert a.dateline == "TALLINN"
    body = paragraphs(a)
    assert body[0].startswith("TALLINN — Estonia and Finland switched on")
    # the related-articles box in mid-article goes, the article after it stays
    assert body[1:] == ["The 170-kilometre line, which cost about 300 million euros, was financed in part by the "
                        "European Union.", "Background",
                        "Estonia has been trying to reduce its dependence on electricity imports from Russia since "
                        "2014, and the new cable is part of that effort.",
                        '"This is a great day for energy security in the region," Estonia\'s economy minister said '
                        "at the ceremony."]
    for furniture in ("Skip to content", "Home »", "Baltic Review", "Share this", "Twitter", "Related Articles",
                      "Latvia signs", "Like this", "You may also like", "Leave a Reply", "cookies", "Privacy"):
        assert furniture not in a.text


HTML = """<!DOCTYPE html><html><head>
<title>Kazakhstan and Uzbekistan sign water deal | Steppe Herald</title>
<meta property="og:title" content="Kazakhstan and Uzbekistan sign water deal">
<meta property="og:site_name" content="Steppe Herald">
<meta property="article:published_time" content="2022-09-14T08:30:00+06:00">
<meta name="author" content="Aigerim Bekova">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<article>
<h1>Kazakhstan and Uzbekistan sign water deal</h1>
<p class="byline">By Aigerim Bekova</p>
<p>ASTANA — Kazakhstan and Uzbekistan signed an agreement on Wednesday to share the waters of the Syr Darya river, the two governments said in a joint statement.</p>
<p>The deal sets quotas for irrigation during the summer months and creates a joint commission to monitor flows at the border.</p>
<p>Also read: <a href="/x">Drought hits cotton harvest in the south</a></p>
<p>Officials said the commission would meet twice a year, alternating between Astana and Tashkent, and publish its data.</p>
<p>"This is a fair arrangement for both our peoples," the Uzbek water minister told reporters.</p>
</article>
<footer><p>© 2022 Steppe Herald. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body></html>
"""


def test_html_page_goes_through_trafilatura_and_the_same_rules():
    a = clean(make_doc(HTML, source="steppe.html", media_type="text/html"))
    assert a.title == "Kazakhstan and Uzbekistan sign water deal"
    assert (a.published, a.published_confidence) == ("2022-09-14", "high")
    assert a.byline == "Aigerim Bekova"
    assert a.outlet == "Steppe Herald"
    assert a.dateline == "ASTANA"
    body = paragraphs(a)
    assert len(body) == 4
    assert body[0].startswith("ASTANA — Kazakhstan and Uzbekistan signed")
    for furniture in ("Also read", "Drought hits", "Home", "All rights reserved", "Privacy"):
        assert furniture not in a.text


AGENCY_FEED = """Tuesday, 14 May 2024
Home
India

India, Bangladesh to boost rail links, says minister

New Delhi, May 13 (PTI) India and Bangladesh will start two new passenger trains between Kolkata and Khulna next month, Railway Minister Ashwini Vaishnaw said on Monday.

Talks on a third route through Agartala are also under way, he told reporters.

A Bangladeshi official holds a flag at the opening of the Maitree Express in Dhaka, Bangladesh, on April 14, 2008. (PTI)

The two countries restored five pre-1965 rail links between 2015 and 2023, and cross-border freight has grown every year since.

(This story has not been edited by Example News staff and is auto-generated from a syndicated feed.)

Trending Topics
IPL 2024 schedule
Gold price today
"""


def test_syndicated_story_with_date_widget_dateline_and_photo_caption():
    a = clean(make_doc(AGENCY_FEED))
    assert a.title == "India, Bangladesh to boost rail links, says minister"
    # the widget's year is the day the page was fetched, not necessarily the story's
    assert (a.published, a.published_confidence, a.page_date) == (None, "low", "2024-05-14")
    assert a.dateline == "New Delhi"
    assert a.outlet == "PTI" and a.byline == "PTI"
    body = paragraphs(a)
    assert len(body) == 3
    assert "Maitree Express" not in a.text  # a caption, although it ends like a credit
    for furniture in ("Home", "auto-generated", "Trending", "IPL"):
        assert furniture not in a.text


CLOSING_CREDIT = """Chile and Argentina settle dispute over glacier border

Updated: 11 Nov 2021, 09:40 GMT

Santiago (AFP) - Chile and Argentina on Wednesday signed a protocol settling a decades-old dispute over the border across the Southern Patagonian Ice Field, their foreign ministries said.

The two governments agreed to a joint survey of the last disputed stretch, to be completed within two years, and to submit any remaining disagreement to arbitration.

Santiago (AFP) - Chile and Argentina on Wednesday signed a protocol settling a decades-old dispute over the border across the Southern Patagonian Ice Field, their foreign ministries said.

Foreign ministers of Chile and Argentina shake hands after signing the protocol in Santiago on November 10, 2021. (AFP)

"Today we close a chapter that divided our peoples for too long," Chile's foreign minister said at a ceremony in the capital, in the presence of his Argentine counterpart. (AFP)
"""


def test_closing_credit_is_kept_and_gives_the_outlet_while_a_caption_goes():
    a = clean(make_doc(CLOSING_CREDIT))
    assert a.title == "Chile and Argentina settle dispute over glacier border"
    assert a.dateline == "Santiago"
    assert a.outlet == "AFP"
    assert a.published == "2021-11-11" and a.published_confidence == "high"
    body = paragraphs(a)
    assert len(body) == 3  # the repeated paragraph and the caption are gone
    assert body[-1].endswith("counterpart. (AFP)")
    assert "shake hands" not in a.text


def test_trailing_agency_credit_line_gives_byline_and_outlet():
    text = ("Gulf states pledge aid to Sudan\n\nDUBAI — Gulf states pledged $1 billion in aid to Sudan on Sunday at a "
            "conference in Dubai, the organisers said.\n\nThe money will go to food and medical supplies.\n\n— AFP\n")
    a = clean(make_doc(text))
    assert (a.outlet, a.byline, a.dateline) == ("AFP", "AFP", "DUBAI")
    assert paragraphs(a)[-1] == "The money will go to food and medical supplies."


def test_update_date_gives_way_to_the_earlier_day_of_the_dateline():
    text = ("Russia and Turkey discuss grain corridor\n\nLast updated: June 14, 2023 | 09:12 IST\n\n"
            "MOSCOW, June 12 (Reuters) - Russian and Turkish officials discussed on Monday how to extend the "
            "Black Sea grain corridor, the Kremlin said.\n")
    a = clean(make_doc(text))
    assert (a.published, a.published_confidence) == ("2023-06-12", "high")
    assert (a.dateline, a.outlet, a.byline) == ("MOSCOW", "Reuters", "Reuters")


def test_labelled_date_disagreeing_with_the_dateline_is_low():
    text = ("Pakistan and Iran reopen border crossing\n\nPublished: 20 March 2023\n\n"
            "QUETTA, March 12 (APP): Pakistan and Iran reopened the Taftan border crossing on Sunday after a "
            "two-week closure, officials said.\n")
    a = clean(make_doc(text))
    assert a.published == "2023-03-20" and a.published_confidence == "low"
    assert a.outlet == "APP" and a.dateline == "QUETTA"
    assert any("contradicts" in note for note in a.notes)


def test_record_metadata_wins_over_guesses_from_the_text():
    text = ("Russia seeks expansion in ties with Pakistan\n\nBy IANS | Published: June 13, 2023 11:57 AM\n\n"
            "Moscow, June 13 Russia has sought to expand and deepen cooperation with Pakistan, the media reported.\n")
    a = clean(make_doc(text, source="feed.jsonl#7", title="Russia wants wider ties with Pakistan",
                       date="Wed, 14 Jun 2023 08:00:00 GMT", outlet="Lokmat Times", byline="Staff",
                       url="https://example.org/russia-pakistan"))
    assert a.title == "Russia wants wider ties with Pakistan"
    assert (a.published, a.published_confidence) == ("2023-06-14", "high")
    assert (a.outlet, a.byline, a.url) == ("Lokmat Times", "Staff", "https://example.org/russia-pakistan")
    assert paragraphs(a) == ["Russia seeks expansion in ties with Pakistan",
                             "Moscow, June 13 Russia has sought to expand and deepen cooperation with Pakistan, "
                             "the media reported."]


NEWSPAPER = """Pakistan, China agree to speed up CPEC projects
Dawn.com | Reuters
Published June 7, 2024
Updated June 7, 2024 03:15pm
Prime Minister Shehbaz Sharif meets Chinese President Xi Jinping in Beijing. — Photo courtesy PID
Pakistan and China agreed on Friday to speed up work on projects under the China-Pakistan Economic Corridor, the foreign office said after talks in Beijing.
Prime Minister Shehbaz Sharif, on a five-day visit to China, met President Xi Jinping at the Great Hall of the People.
“We reaffirmed our commitment to the CPEC,” Sharif said on X.
Comments (12)
Closed
Dear visitor, the comments section is undergoing an overhaul and will return soon.
"""


def test_newspaper_page_without_blank_lines_names_its_wire_source_beside_the_site():
    a = clean(make_doc(NEWSPAPER))
    assert a.title == "Pakistan, China agree to speed up CPEC projects"
    assert (a.published, a.published_confidence) == ("2024-06-07", "high")  # published beats updated
    assert (a.outlet, a.byline) == ("Reuters", "Reuters")
    assert len(paragraphs(a)) == 3
    assert paragraphs(a)[-1] == "“We reaffirmed our commitment to the CPEC,” Sharif said on X."
    for furniture in ("Photo courtesy", "Comments", "Closed", "Dear visitor"):
        assert furniture not in a.text


SECTION_FRONT = """Russia
This article is more than 1 year old
Putin and Kim Jong-un hold talks at Russian spaceport
Kim says Russia is fighting a ‘sacred war’ as leaders meet at Vostochny cosmodrome
Pjotr Sauer in Moscow and Justin McCurry in Tokyo
Wed 13 Sep 2023 07.12 BST
Vladimir Putin and Kim Jong-un met on Wednesday at a spaceport in Russia's far east, in a summit that western officials fear could lead to arms supplies for Moscow's war in Ukraine.
The two leaders toured the Vostochny cosmodrome before holding talks, Russian state media reported.
Explore more on these topics
Russia
North Korea
Share
Reuse this content
"""


def test_names_beside_the_date_under_the_headline_are_the_byline():
    a = clean(make_doc(SECTION_FRONT))
    assert a.title == "Putin and Kim Jong-un hold talks at Russian spaceport"
    assert (a.published, a.published_confidence) == ("2023-09-13", "high")
    assert a.byline == "Pjotr Sauer in Moscow and Justin McCurry in Tokyo"
    assert a.outlet is None
    assert len(paragraphs(a)) == 3  # the standfirst and two paragraphs
    for furniture in ("more than 1 year old", "Explore more", "North Korea", "Reuse"):
        assert furniture not in a.text


WRAPPED = """The two governments said in a joint statement that they had
agreed to cut tariffs on farm goods by half from next year, and
to meet again in the spring.
    Officials said the talks had been the most productive in a
decade, although no agreement was reached on steel.
    The next round is due in Ottawa in April.
 Reuter
"""


def test_hard_wrapped_record_is_joined_into_paragraphs():
    a = clean(make_doc(WRAPPED, source="wire.jsonl#12", title="CANADA, U.S. AGREE TO CUT FARM TARIFFS",
                       date="1987-03-02T10:01:00", dateline="WASHINGTON, March 2 -"))
    assert a.title == "CANADA, U.S. AGREE TO CUT FARM TARIFFS"
    assert (a.published, a.dateline, a.outlet) == ("1987-03-02", "WASHINGTON", "Reuters")
    assert paragraphs(a) == [
        "The two governments said in a joint statement that they had agreed to cut tariffs on farm goods by half "
        "from next year, and to meet again in the spring.",
        "Officials said the talks had been the most productive in a decade, although no agreement was reached on "
        "steel.",
        "The next round is due in Ottawa in April."]


def test_html_fragment_of_a_feed_entry_keeps_every_block():
    html = ("<p>Russia and Pakistan signed an agreement on energy cooperation on Tuesday, officials said.</p>"
            "<p>Also read: <a href='/x'>Oil shipment reaches Karachi</a></p><ul><li>First point</li></ul>")
    a = clean(make_doc(html, source="feed.xml#3", media_type="text/html", title="Russia, Pakistan sign energy deal",
                       date="Tue, 13 Jun 2023 10:00:00 GMT"))
    assert a.title == "Russia, Pakistan sign energy deal" and a.published == "2023-06-13"
    assert paragraphs(a) == ["Russia and Pakistan signed an agreement on energy cooperation on Tuesday, officials "
                             "said.", "First point"]


def test_html_without_article_text_is_an_input_error():
    from bilat.errors import InputError
    with pytest.raises(InputError):
        clean(make_doc("<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
                       source="empty.html", media_type="text/html"))


def test_end_marker_high_on_the_page_does_not_throw_the_article_away():
    text = ("Kenya and Ethiopia agree on power trade\n\nTags: Kenya, Ethiopia, Energy\n\n"
            "Kenya and Ethiopia signed a deal on Friday under which Kenya will buy 200 megawatts of "
            "hydropower from Ethiopia for the next 25 years, the two governments said.\n\n"
            "The power will flow through a 1,000-kilometre high-voltage line completed last year.\n\n"
            "Officials said the price would be reviewed every five years.\n")
    a = clean(make_doc(text))
    assert len(paragraphs(a)) == 3
    assert "Tags" not in a.text


def test_short_headline_above_running_text():
    text = ("Home\n\nPutin visits Pakistan\n\nMoscow, June 13 (IANS) Russian President Vladimir Putin will visit "
            "Pakistan next month, the Kremlin said on Tuesday.\n")
    a = clean(make_doc(text))
    assert a.title == "Putin visits Pakistan"
    assert paragraphs(a) == [text.split("\n\n")[2].strip()]
    assert (a.dateline, a.outlet) == ("Moscow", "IANS")


def test_non_breaking_spaces_at_line_ends_are_stripped_and_words_untouched():
    text = "A headline about two countries here\n\n\u00a0 Body line one of the article, as it was written.\u00a0 \n"
    a = clean(make_doc(text))
    assert a.text == "Body line one of the article, as it was written."


def test_explain_gives_a_reason_for_every_dropped_line():
    decisions = explain(make_doc(BLOG))
    dropped = [d for d in decisions if d.action == "drop"]
    assert dropped and all(d.reason for d in dropped)
    assert [d.text for d in decisions if d.action == "title"] == ["Estonia and Finland open new undersea power cable"]


def test_empty_document_is_an_input_error():
    from bilat.errors import InputError
    with pytest.raises(InputError):
        clean(make_doc("  \n \n"))


# --- helpers --------------------------------------------------------------------------------------------


def test_meta_lines_dates_and_bylines():
    rules = load_rules()
    meta = read_meta_line("By IANS | Published: June 13, 2023 11:57 AM", rules)
    assert meta and meta.byline == "IANS" and [d.isoformat() for d in meta.published] == ["2023-06-13"]
    meta = read_meta_line("Posted on 3 March 2022 by Jane Doe", rules)
    assert meta and meta.byline == "Jane Doe" and meta.published[0].isoformat() == "2022-03-03"
    assert read_meta_line("By the end of 2023, trade between the two had doubled.", rules) is None
    assert not looks_like_names("Wednesday, the talks had stalled")
    assert looks_like_names("Jane Doe, Reuters")
    assert parse_date("Tue, 13 Jun 2023 11:57:00 GMT") == "2023-06-13"
    assert parse_date("2023-06-13T11:57:00Z") == "2023-06-13"
    assert parse_date("03/04/2022") is None  # day and month cannot be told apart
    assert [d.isoformat() for d in find_dates("on April 7, 2021 and 5 May 2020")] == ["2021-04-07", "2020-05-05"]


def _first_trying_every_pattern(rules: Rules, text: str, kinds: tuple[str, ...]) -> tuple[int, tuple] | None:
    return next(((r.number, m.span()) for r in rules.of(*kinds) if (m := r.pattern.search(text))), None)


def test_screened_rules_find_what_trying_every_pattern_finds(sample_dir: Path):
    """A rule is tried only on a text with what its pattern needs (an opening character, literal text): the rule
    found is the one trying every pattern in file order finds, on the seeds' lines and on furniture lines."""
    rules = load_rules()
    lines = [line.strip() for path in sorted(sample_dir.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ["Also Read: Putin visits Pakistan", "ALSO READ Putin visits", "Tags: Pakistan, Russia", "— AFP", "",
              "(With inputs from PTI)", "REUTERS/Evgenia Novozhenina", "Qureshi (2L) holds talks with Lavrov (2R)",
              "We use cookies to improve your experience", "Sign up for our newsletter", "5 min read", "© 2023 Dawn",
              "Updated 3 hours ago", "Home > World > Asia", "Copyright 2023 Reuters", "... in Beijing. — AFP",
              "... on April 7, 2021. (AFP)", "MOSCOW (Reuters) - Russia said", "Source: Al Jazeera", "By Jane Doe",
              "Published: June 13, 2023", "\u212aeywords: trade", "ſhare this", "Reuter"]
    for line in lines:
        for kinds in (LINE_KINDS, ("drop",), ("credit",), ("drop", "end"), ("published", "updated"), ("byline",),
                      ("dateline",), ("tail",)):
            found = rules.first(line, *kinds)
            assert (found and (found[0].number, found[1].span())) == _first_trying_every_pattern(rules, line, kinds)


@pytest.mark.parametrize("pattern, texts", [
    (r"^(?:Tags?|Topics?)\s*:", ["Tags: x", "tags:", "TOPIC:", "xTags:", "\u212a"]),
    (r"kelvin", ["KELVIN", "\u212aelvin", "Kelvin", "kelvi"]),  # ignoring case, the Kelvin sign is a "k"
    (r"^\u212a", ["k", "K", "\u212a", "x"]),
    (r"(?-i:^Home)\b", ["Home page", "home page", "HOME"]),
    (r"\bsubscribe\b", ["SUBSCRIBE", "Subscribe now", "\u017fubscribe", "subscriber"]),  # and the long s an "s"
    (r"^(?:©|\(c\)\s)", ["© 2023", "(C) 2023", "(c)x", "2023 ©"]),
    (r"^\d+\s*min", ["5 min", "\u0665 min", "x5 min"]),
    (r"\s[—–-]{1,2}\s*AFP$", ["said. — AFP", "said. -- afp", "said. AFP"]),
])
def test_a_screened_rule_matches_where_its_pattern_matches(pattern: str, texts: list[str]):
    compiled = re.compile(pattern, re.I)
    rules = Rules((Rule("drop", compiled, "", 1),), {}, re.compile("(?!)"))
    for text in texts:
        assert (rules.first(text, "drop") is None) == (compiled.search(text) is None), text


def test_article_id_is_stable_and_depends_on_the_source():
    first = article_id_for("001_x.txt", "ab" * 32)
    assert first == article_id_for("001_x.txt", "ab" * 32)
    assert first == hashlib.sha256(("001_x.txt\0" + "ab" * 32).encode()).hexdigest()[:16]
    assert len(first) == 16
    assert article_id_for("002_x.txt", "ab" * 32) != first
    doc = make_doc("A headline about two countries here\n\nBody text of the article, in one line.")
    assert clean(doc).article_id == article_id_for(doc.source, doc.content_hash)
