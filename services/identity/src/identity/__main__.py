from identity.entrypoints.main import main

main()
