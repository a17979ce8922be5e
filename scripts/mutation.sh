#!/usr/bin/env bash
# Mutation testing of engine modules against their own tests (mutmut 3; not in CI).
#
#   scripts/mutation.sh formula validate values prose_check
#   MUTANTS='*x__list_items__mutmut_*' scripts/mutation.sh prose_check   # some mutants only
#
# For each module: copies the working tree (uncommitted changes included) to a private
# temporary directory, limits mutmut to that one file and to the module's own tests,
# runs it niced with MUTATION_CHILDREN workers (default 1), and prints the score and the
# surviving mutants. The diffs of the survivors are written to survivors.diff in the
# copy, which is kept (its path is printed) so `mutmut show NAME` can be run there.
# Survivors that are equivalent or only change a message are listed in tests/MUTATION.md.
#
# Environment: PY (python of a venv holding the `mutation` extra; default .venv or
# python3), MUTATION_CHILDREN (default 1), MUTANTS (space-separated mutant names or
# fnmatch patterns: run and score only those, e.g. while writing tests against them).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=$(command -v python3)
MUTMUT=$(dirname "$PY")/mutmut
CHILDREN=${MUTATION_CHILDREN:-1}
if [ ! -x "$MUTMUT" ]; then
    echo "mutmut not found next to $PY: pip install -e '.[mutation]'" >&2
    exit 2
fi
if [ $# -eq 0 ]; then
    echo "usage: scripts/mutation.sh MODULE... (formula, validate, values, prose_check)" >&2
    exit 2
fi

# A module's own tests: its unit tests and the pins written against its mutants.
tests_for() {
    case "$1" in
        formula) echo "tests/test_formula.py tests/test_mutation_pins_formula.py" ;;
        validate) echo "tests/test_rules.py tests/test_crossyear.py tests/test_overlay.py tests/test_mutation_pins_validate.py" ;;
        values) echo "tests/test_values.py tests/test_mutation_pins_values.py" ;;
        prose_check) (cd "$ROOT" && echo tests/test_document_prose.py tests/test_prose_labelled.py tests/test_mutation_pins_prose*.py) ;;
        *) return 1 ;;
    esac
}
path_for() {
    case "$1" in
        prose_check) echo "addin/document/prose_check.py" ;;
        *) echo "addin/$1.py" ;;
    esac
}

status=0
for module in "$@"; do
    module=$(basename "${module%.py}")
    if ! tests=$(tests_for "$module"); then
        echo "unknown module $module (formula, validate, values, prose_check)" >&2
        exit 2
    fi
    src=$(path_for "$module")
    work=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-mutation-$module.XXXXXX")
    # the working tree as git sees it, untracked files included, ignored ones not
    (cd "$ROOT" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
        [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$work"
    existing=""
    for t in $tests; do [ -e "$work/$t" ] && existing="$existing \"$t\","; done
    # [tool.mutmut] is the last table of pyproject.toml: these lines extend it
    cat >> "$work/pyproject.toml" <<EOF
only_mutate = ["$src"]
pytest_add_cli_args_test_selection = [${existing%,} ]
EOF
    echo "== $src against${existing%,} (copy: $work)"
    start=$(date +%s)
    # MUTANTS is a list of patterns: split by the shell, never globbed (set -f)
    # shellcheck disable=SC2086
    (cd "$work" && set -f && nice -n 15 "$MUTMUT" run --max-children "$CHILDREN" ${MUTANTS:-} > mutmut.log 2>&1) || {
        echo "mutmut failed, see $work/mutmut.log" >&2; tail -20 "$work/mutmut.log" >&2; status=1; continue; }
    # the survivors and their diffs, in one process (`mutmut show` per mutant is slow)
    (cd "$work" && "$PY" - > survivors.diff 2>&1 <<'PYEOF'
from mutmut.__main__ import SourceFileMutationData, get_diff_for_mutant, status_by_exit_code, walk_mutatable_files

names = []
for path in walk_mutatable_files():
    m = SourceFileMutationData(path=path)
    m.load()
    for name, code in m.exit_code_by_key.items():
        status = status_by_exit_code[code]
        if status in ("survived", "no tests", "suspicious"):
            names.append(name)
            print(f"# {name}: {status}")
            print(get_diff_for_mutant(name, path=m.path))
open("survivors.txt", "w").write("".join(n + "\n" for n in names))
PYEOF
    ) || true
    "$PY" - "$work" "$src" "$(( $(date +%s) - start ))" "${MUTANTS:-*}" <<'EOF'
import collections, fnmatch, os, sys
work, src, secs, patterns = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
os.chdir(work)
from mutmut.__main__ import SourceFileMutationData, walk_mutatable_files
from mutmut.stats import status_by_exit_code

counts = collections.Counter()
for path in walk_mutatable_files():
    m = SourceFileMutationData(path=path)
    m.load()
    for name, code in m.exit_code_by_key.items():
        if any(fnmatch.fnmatch(name, p) for p in patterns):
            counts[status_by_exit_code[code]] += 1
killed = counts["killed"] + counts["timeout"] + counts["segfault"]
checked = killed + counts["survived"] + counts["no tests"] + counts["suspicious"]
survivors = open("survivors.txt").read().split()
print(f"{src}: {killed}/{checked} mutants killed = {100 * killed / max(checked, 1):.1f} %"
      f" (survived {counts['survived']}, no tests {counts['no tests']}, suspicious {counts['suspicious']},"
      f" timeout {counts['timeout']}, not checked {counts['not checked']}) in {secs // 60} min {secs % 60} s")
for name in survivors:
    print("  survivor:", name)
print(f"  diffs: {work}/survivors.diff")
EOF
done
exit $status
