from hr.entrypoints.main import main

main()
