from education.entrypoints.main import main

main()
