from lastmile_tui.cli import main

raise SystemExit(main())
