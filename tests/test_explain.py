"""`bilat explain`: why a sentence is coded as it is, through the real command and the library function."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bilat.annotate import Annotator
from bilat.errors import UsageError
from bilat.explain import explain_sentence

LAVROV = "Russian foreign minister Sergey Lavrov arrived in Islamabad on Tuesday."


def bilat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilat", *args], capture_output=True, text=True, timeout=300)


def test_explain_shows_actors_code_date_and_pattern():
    proc = bilat("explain", LAVROV, "--date", "2021-04-07")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "RUSGOV" in text and "Sergey Lavrov" in text
    assert "042" in text and "Make a visit" in text
    assert "2021-04-06" in text and "'Tuesday' -> 2021-04-06" in text
    assert "pattern arrive" in text and "arrive -> 042" in text
    assert "status occurred" in text and "location Islamabad" in text


def test_explain_rejects_a_bad_date_in_one_line():
    proc = bilat("explain", LAVROV, "--date", "2021-13-45")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "2021-13-45" in lines[0] and "YYYY-MM-DD" in lines[0]
    assert "Traceback" not in proc.stderr and not proc.stdout.strip()


def test_explain_says_why_a_sentence_has_no_event():
    proc = bilat("explain", "The minister arrived in the city on Tuesday.", "--date", "2021-04-07")
    assert proc.returncode == 0, proc.stderr
    assert "no event: no" in proc.stdout and "no country" in proc.stdout


@pytest.fixture
def explain(nlp):
    return lambda text, published=None: explain_sentence(text, published, Annotator(nlp))


@pytest.mark.parametrize("text, reason", [
    ("Russian President Vladimir Putin visited Moscow on Monday.", "all actors are of one country (RUS)"),
    ("Russia and Pakistan enjoy warm weather.", "no trigger"),
])
def test_explain_names_the_step_that_failed(explain, text, reason):
    lines = explain(text, "2021-04-07")
    assert any(line.strip().startswith("no event: ") and reason in line for line in lines), lines


def test_explain_gives_status_cue_and_intent(explain):
    text = "\n".join(explain("Russia is looking to sell arms to Pakistan.", "2021-04-07"))
    assert "RUS (Russia) -> PAK (Pakistan): 031" in text and "status occurred (cue: 'intent')" in text
    text = "\n".join(explain("President Putin may visit Pakistan next year.", "2021-04-07"))
    assert "status possible (cue: 'may')" in text and "date 2022" in text


@pytest.mark.parametrize("published", ["2021-4-7", "07/04/2021", "20210407", "yesterday"])
def test_explain_sentence_rejects_what_is_not_a_date(published):
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        explain_sentence(LAVROV, published)
