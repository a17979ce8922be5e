"""The real published reports of ../shared/corpus (read at run time, never copied): each
imports, its format is recognised, and every visible number lands on the right cell
in reading order. Skipped where the corpus is absent."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT.parent / "shared" / "seed"
FILES = sorted(CORPUS.glob("*.txt")) + sorted(SEED.glob("*.txt")) if CORPUS.is_dir() else []

spec = importlib.util.spec_from_file_location("eval_corpus", ROOT / "scripts" / "eval_corpus.py")
eval_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_corpus)


@pytest.mark.skipif(not FILES, reason="../shared/corpus not present")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file(path):
    row = eval_corpus.evaluate(path)
    assert "error" not in row, row.get("error")
    assert row["format"] == row["want_format"]
    assert row["order_ok"], row["first_diff"]
    assert row["visible"] == row["placed"]


def test_eval_script_runs_and_exits_0(capsys):
    assert eval_corpus.main([]) == 0
    out = capsys.readouterr().out
    assert "汇总" in out or "跳过" in out
