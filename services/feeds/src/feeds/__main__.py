from feeds.entrypoints.main import main

main()
