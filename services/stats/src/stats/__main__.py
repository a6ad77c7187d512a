from stats.entrypoints.main import main

main()
