"""Shared fixtures: the bundled sample corpus and its gold, the spaCy pipeline, a temporary store, and the
larger shared data beside the checkout (tests that need it skip cleanly without it)."""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import settings

SAMPLE = Path(str(resources.files("bilat") / "data" / "sample"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Property-based tests (test_fuzz.py) draw the same examples on every run and machine, and take their time.
settings.register_profile("bilat", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile("bilat")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The five seed articles, as bundled with the package."""
    return SAMPLE


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return SAMPLE / "seeds.gold.json"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable folder holding only the five seed articles."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for f in sorted(SAMPLE.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="session")
def nlp():
    from bilat.annotate import load_pipeline
    return load_pipeline()


@pytest.fixture(scope="session")
def annotator(nlp):
    from bilat.annotate import Annotator
    return Annotator(nlp)


@pytest.fixture
def store(tmp_path: Path):
    from bilat.store import Store
    with Store(tmp_path / "test.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "score.py").exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture
def code_events(nlp):
    """Code the events of a text as an article published on `published` (a fresh annotator each time, so nothing
    learned by one test leaks into another)."""
    from bilat.annotate import Annotator
    from bilat.events import EventCoder
    from bilat.model import Article

    def run(text: str, published: str | None = None, title: str | None = None):
        article = Article("t", "t.txt", "", title, text, published, "high" if published else None)
        (annotated,) = Annotator(nlp).annotate([article])
        return EventCoder().code(annotated)
    return run
