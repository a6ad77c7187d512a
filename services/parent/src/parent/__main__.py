from parent.entrypoints.main import main

main()
