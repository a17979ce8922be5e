import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading: nothing was started yet
    sys.stderr.write("已中断（Ctrl-C）。\n")
    sys.exit(130)

sys.exit(main())
