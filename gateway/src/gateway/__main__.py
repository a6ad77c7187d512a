from gateway.entrypoints.main import main

main()
