"""One module per ``nianbao`` command: ``add_arguments(parser)`` and ``run(args)``."""
